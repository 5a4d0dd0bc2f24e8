package org.kvmportal.access;

import java.util.Set;

/** What an admin types to create a local account; {@code password} is the first, temporary one. */
public record NewUser(String username, String displayName, String email, Set<Role> roles, String password) {

    /** Records print their fields: never the password. */
    @Override
    public String toString() {
        return "NewUser[username=" + username + ", roles=" + roles + "]";
    }
}
