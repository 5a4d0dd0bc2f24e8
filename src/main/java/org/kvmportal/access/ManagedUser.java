package org.kvmportal.access;

import java.util.EnumSet;
import java.util.Set;

/**
 * A user as admins manage them.
 *
 * @param roles the user's own roles (what the admin edits)
 * @param groupRoles the roles their groups add
 * @param groups the names of the groups they belong to
 * @param source where they sign in; only LOCAL accounts have a password here
 */
public record ManagedUser(
        String username,
        String displayName,
        String email,
        boolean enabled,
        Set<Role> roles,
        Set<Role> groupRoles,
        Set<String> groups,
        AuthSource source,
        boolean mustChangePassword,
        Quotas quotas) {

    public ManagedUser {
        roles = Set.copyOf(roles);
        groupRoles = Set.copyOf(groupRoles);
        groups = Set.copyOf(groups);
    }

    public UserSummary summary() {
        var effective = EnumSet.noneOf(Role.class);
        effective.addAll(roles);
        effective.addAll(groupRoles);
        return new UserSummary(username, displayName, email, enabled, effective, groups);
    }
}
