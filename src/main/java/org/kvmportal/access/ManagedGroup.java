package org.kvmportal.access;

import java.util.List;
import java.util.Set;

/**
 * A group as admins manage it.
 *
 * @param roles the roles it gives its members
 * @param members its members' user names, sorted
 */
public record ManagedGroup(
        long id, String name, String description, Set<Role> roles, Quotas quotas, List<String> members) {

    public ManagedGroup {
        roles = Set.copyOf(roles);
        members = List.copyOf(members);
    }
}
