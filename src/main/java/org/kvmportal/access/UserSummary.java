package org.kvmportal.access;

import java.util.Set;

/**
 * A user as help-desk staff find them.
 *
 * @param roles what the user may do: their own roles and those their groups give
 * @param groups the names of the groups they belong to
 */
public record UserSummary(
        String username, String displayName, String email, boolean enabled, Set<Role> roles, Set<String> groups) {

    public UserSummary {
        roles = Set.copyOf(roles);
        groups = Set.copyOf(groups);
    }
}
