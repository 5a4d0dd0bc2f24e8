package org.kvmportal.vm;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.kvmportal.access.AccountIdentity;
import org.kvmportal.hypervisor.DomainRef;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The VM assignments as stored. Grants name users and groups by id, so that deleting either removes its
 * grants (foreign keys with cascade) and renaming keeps them. No checks here: {@link VmAssignments} and
 * {@link VmAccessPolicy} decide who may read and change what.
 */
@Component
class VmGrants {

    private final JdbcClient jdbc;
    private final Clock clock = Clock.systemUTC();

    VmGrants(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The highest level each VM is granted to this account, directly or through its groups. */
    @Transactional(readOnly = true)
    Map<DomainRef, VmAccessLevel> levelsOf(AccountIdentity account) {
        var levels = new HashMap<DomainRef, VmAccessLevel>();
        jdbc.sql("select host, vm_uuid, level from vm_user_grant where user_id = :id")
                .param("id", account.id())
                .query((rs, row) -> Map.entry(ref(rs), VmAccessLevel.valueOf(rs.getString("level"))))
                .list()
                .forEach(grant -> levels.merge(grant.getKey(), grant.getValue(), VmAccessLevel::higher));
        if (!account.groupIds().isEmpty()) {
            jdbc.sql("select host, vm_uuid, level from vm_group_grant where group_id in (:groups)")
                    .param("groups", List.copyOf(account.groupIds()))
                    .query((rs, row) -> Map.entry(ref(rs), VmAccessLevel.valueOf(rs.getString("level"))))
                    .list()
                    .forEach(grant -> levels.merge(grant.getKey(), grant.getValue(), VmAccessLevel::higher));
        }
        return levels;
    }

    /** VMs assigned to anyone: the ones help-desk staff support. */
    @Transactional(readOnly = true)
    Set<DomainRef> assigned() {
        return new HashSet<>(
                jdbc.sql("select host, vm_uuid from vm_user_grant union select host, vm_uuid from vm_group_grant")
                        .query((rs, row) -> ref(rs))
                        .list());
    }

    @Transactional(readOnly = true)
    boolean isAssigned(DomainRef vm) {
        return jdbc.sql("""
                        select count(*) from (
                          select 1 from vm_user_grant where host = :host and vm_uuid = :uuid
                          union all
                          select 1 from vm_group_grant where host = :host and vm_uuid = :uuid) grants
                        """)
                        .param("host", vm.host())
                        .param("uuid", vm.uuid())
                        .query(Long.class)
                        .single()
                > 0;
    }

    /** Every grant, with the names of its users and groups. */
    @Transactional(readOnly = true)
    List<VmGrant> all() {
        return jdbc.sql(ALL_GRANTS).query(this::grant).list();
    }

    @Transactional(readOnly = true)
    List<VmGrant> on(DomainRef vm) {
        return jdbc.sql("select * from (" + ALL_GRANTS + ") grants where host = :host and vm_uuid = :uuid")
                .param("host", vm.host())
                .param("uuid", vm.uuid())
                .query(this::grant)
                .list();
    }

    /** The grants made to this user directly (not through groups). */
    @Transactional(readOnly = true)
    List<VmGrant> ofUser(String username) {
        return jdbc.sql("select * from (" + ALL_GRANTS + ") grants where kind = 'USER' and grantee = :name")
                .param("name", username)
                .query(this::grant)
                .list();
    }

    @Transactional
    void grantToUser(DomainRef vm, long userId, VmAccessLevel level, String by) {
        grant(Table.USERS, vm, userId, level, by);
    }

    @Transactional
    void grantToGroup(DomainRef vm, long groupId, VmAccessLevel level, String by) {
        grant(Table.GROUPS, vm, groupId, level, by);
    }

    /** @return whether there was a grant to remove */
    @Transactional
    boolean revokeFromUser(DomainRef vm, long userId) {
        return revoke(Table.USERS, vm, userId);
    }

    @Transactional
    boolean revokeFromGroup(DomainRef vm, long groupId) {
        return revoke(Table.GROUPS, vm, groupId);
    }

    /**
     * Moves every grant on {@code from} to {@code to}: the same VM on another host after a migration. Grants
     * left on {@code to} belong to a VM that is no longer there (the move was refused otherwise): they go.
     */
    @Transactional
    void move(DomainRef from, DomainRef to) {
        for (var table : Table.values()) {
            jdbc.sql("delete from " + table.name + " where host = :host and vm_uuid = :uuid")
                    .param("host", to.host())
                    .param("uuid", to.uuid())
                    .update();
            jdbc.sql("update " + table.name
                            + " set host = :to, vm_uuid = :toUuid where host = :from and vm_uuid = :uuid")
                    .param("to", to.host())
                    .param("toUuid", to.uuid())
                    .param("from", from.host())
                    .param("uuid", from.uuid())
                    .update();
        }
    }

    /** The two grant tables, alike but for whom they name. Only these constants go into the SQL text. */
    private enum Table {
        USERS("vm_user_grant", "user_id"),
        GROUPS("vm_group_grant", "group_id");

        private final String name;
        private final String principal;

        Table(String name, String principal) {
            this.name = name;
            this.principal = principal;
        }
    }

    private void grant(Table table, DomainRef vm, long principal, VmAccessLevel level, String by) {
        revoke(table, vm, principal);
        jdbc.sql("insert into " + table.name + " (host, vm_uuid, " + table.principal
                        + ", level, granted_by, granted_at) values (:host, :uuid, :principal, :level, :by, :at)")
                .param("host", vm.host())
                .param("uuid", vm.uuid())
                .param("principal", principal)
                .param("level", level.name())
                .param("by", by)
                .param("at", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .update();
    }

    private boolean revoke(Table table, DomainRef vm, long principal) {
        return jdbc.sql("delete from " + table.name + " where host = :host and vm_uuid = :uuid and " + table.principal
                                + " = :principal")
                        .param("host", vm.host())
                        .param("uuid", vm.uuid())
                        .param("principal", principal)
                        .update()
                > 0;
    }

    private static final String ALL_GRANTS = """
            select g.host, g.vm_uuid, 'USER' as kind, u.username as grantee, g.level, g.granted_by, g.granted_at
              from vm_user_grant g join app_user u on u.id = g.user_id
            union all
            select g.host, g.vm_uuid, 'GROUP' as kind, a.name as grantee, g.level, g.granted_by, g.granted_at
              from vm_group_grant g join app_group a on a.id = g.group_id
            """;

    private VmGrant grant(ResultSet rs, int row) throws SQLException {
        String name = rs.getString("grantee");
        Grantee grantee = "USER".equals(rs.getString("kind")) ? new Grantee.User(name) : new Grantee.Group(name);
        return new VmGrant(
                ref(rs),
                grantee,
                VmAccessLevel.valueOf(rs.getString("level")),
                rs.getString("granted_by"),
                rs.getObject("granted_at", OffsetDateTime.class).toInstant());
    }

    private static DomainRef ref(ResultSet rs) throws SQLException {
        return new DomainRef(rs.getString("host"), rs.getObject("vm_uuid", UUID.class));
    }
}
