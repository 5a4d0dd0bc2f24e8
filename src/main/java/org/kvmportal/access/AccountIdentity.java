package org.kvmportal.access;

import java.util.Set;

/**
 * An enabled account as the database describes it right now.
 *
 * @param roles the account's own roles and those its groups give it
 * @param groupIds the groups it belongs to, for grants made to groups
 */
public record AccountIdentity(long id, String username, Set<Role> roles, Set<Long> groupIds) {

    public AccountIdentity {
        roles = Set.copyOf(roles);
        groupIds = Set.copyOf(groupIds);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }
}
