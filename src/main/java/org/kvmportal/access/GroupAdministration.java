package org.kvmportal.access;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Groups for admins: create, rename, describe, delete, members, the roles and quotas a group gives. A change
 * that would leave no enabled admin, or take ADMIN from the admin making it, is refused.
 */
@Service
@PreAuthorize("hasRole('ADMIN')")
public class GroupAdministration {

    private final UserGroupRepository groups;
    private final UserAccountRepository users;
    private final AdminChanges changes;
    private final Clock clock = Clock.systemUTC();

    GroupAdministration(UserGroupRepository groups, UserAccountRepository users, AdminChanges changes) {
        this.groups = groups;
        this.users = users;
        this.changes = changes;
    }

    @PreAuthorize("hasRole('ADMIN')")
    @Transactional(readOnly = true)
    public List<ManagedGroup> list() {
        return groups.findAllByOrderByNameAsc().stream().map(this::managed).toList();
    }

    @PreAuthorize("hasRole('ADMIN')")
    @Transactional(readOnly = true)
    public Optional<ManagedGroup> find(long id) {
        return groups.findById(id).map(this::managed);
    }

    /** @return the new group's id */
    @PreAuthorize("hasRole('ADMIN')")
    @Transactional
    public long create(String name, String description) {
        String clean = AccessInput.groupName(name);
        requireFreeName(clean, null);
        var group = groups.save(new UserGroup(clean, AccessInput.description(description), clock.instant()));
        changes.record("GROUP_CREATED", clean, null);
        return group.id();
    }

    @PreAuthorize("hasRole('ADMIN')")
    @Transactional
    public void update(long id, GroupChanges edit) {
        var group = existing(id);
        String name = AccessInput.groupName(edit.name());
        requireFreeName(name, id);
        String description = AccessInput.description(edit.description());
        var roles = AccessInput.groupRoles(edit.roles());
        var quotas = AccessInput.quotas(edit.quotas());
        String before = group.name();
        boolean mine = changes.isMember(group);
        group.setName(name);
        group.setDescription(description);
        group.setRoles(roles);
        group.setQuotas(quotas);
        changes.requireAdminsRemain("roles");
        if (mine) {
            changes.requireStillAdmin("roles");
        }
        changes.record(
                "GROUP_UPDATED",
                before,
                (before.equals(name) ? "" : "renamed to " + name + ", ") + "roles " + UserAdministration.names(roles)
                        + ", quotas " + quotas);
    }

    @PreAuthorize("hasRole('ADMIN')")
    @Transactional
    public void delete(long id) {
        var group = existing(id);
        boolean mine = changes.isMember(group);
        groups.delete(group);
        changes.requireAdminsRemain("");
        if (mine) {
            changes.requireStillAdmin("");
        }
        changes.record("GROUP_DELETED", group.name(), null);
    }

    @PreAuthorize("hasRole('ADMIN')")
    @Transactional
    public void addMember(long id, String username) {
        var group = existing(id);
        var user = member(username);
        if (group.addMember(user.id())) {
            changes.record("GROUP_MEMBER_ADDED", group.name(), user.username());
        }
    }

    @PreAuthorize("hasRole('ADMIN')")
    @Transactional
    public void removeMember(long id, String username) {
        var group = existing(id);
        var user = member(username);
        if (group.removeMember(user.id())) {
            changes.requireAdminsRemain("members");
            if (user.username().equals(changes.currentUser())) {
                changes.requireStillAdmin("members");
            }
            changes.record("GROUP_MEMBER_REMOVED", group.name(), user.username());
        }
    }

    private ManagedGroup managed(UserGroup group) {
        var members = users.findAllById(group.memberIds()).stream()
                .map(UserAccount::username)
                .sorted()
                .toList();
        return new ManagedGroup(group.id(), group.name(), group.description(), group.roles(), group.quotas(), members);
    }

    private UserGroup existing(long id) {
        return groups.findById(id).orElseThrow(() -> new AccessInputException("", "That group no longer exists."));
    }

    private UserAccount member(String username) {
        return users.findByUsername(username == null ? "" : username.strip())
                .orElseThrow(() -> new AccessInputException("members", "There is no user named " + username + "."));
    }

    private void requireFreeName(String name, Long except) {
        groups.findByNameIgnoreCase(name)
                .filter(other -> !other.id().equals(except))
                .ifPresent(other -> {
                    throw new AccessInputException("name", "There already is a group named " + other.name() + ".");
                });
    }
}
