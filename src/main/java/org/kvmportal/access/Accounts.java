package org.kvmportal.access;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Who an account is right now, for checks that must not trust what a long-lived session remembers (an open
 * console is re-checked while it runs): a disabled or deleted account, or one that still has to replace a
 * temporary password, has no identity at all.
 */
@Component
public class Accounts {

    private final JdbcClient jdbc;

    Accounts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** An enabled account, with the roles it holds now. */
    @Transactional(readOnly = true)
    public Optional<AccountIdentity> identity(String username) {
        return identity(username, "select id from app_user where username = :username and enabled");
    }

    /**
     * An enabled account that may act on VMs: one holding a temporary password (set by an admin) acts on
     * nothing until its owner has chosen their own, whatever a view or an old ticket offers.
     */
    @Transactional(readOnly = true)
    public Optional<AccountIdentity> actingIdentity(String username) {
        return identity(
                username,
                "select id from app_user where username = :username and enabled and not must_change_password");
    }

    private Optional<AccountIdentity> identity(String username, String idQuery) {
        if (username == null) {
            return Optional.empty();
        }
        Optional<Long> id =
                jdbc.sql(idQuery).param("username", username).query(Long.class).optional();
        if (id.isEmpty()) {
            return Optional.empty();
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        jdbc.sql("""
                        select role from app_user_role where user_id = :id
                        union
                        select gr.role from app_group_role gr
                          join app_group_member m on m.group_id = gr.group_id
                         where m.user_id = :id
                        """).param("id", id.get()).query(String.class).list().forEach(role -> roles.add(Role.valueOf(role)));
        var groups = new HashSet<>(jdbc.sql("select group_id from app_group_member where user_id = :id")
                .param("id", id.get())
                .query(Long.class)
                .list());
        return Optional.of(new AccountIdentity(id.get(), username, roles, groups));
    }

    /** The database id of an account, enabled or not. */
    public Optional<Long> userId(String username) {
        return jdbc.sql("select id from app_user where username = :username")
                .param("username", username)
                .query(Long.class)
                .optional();
    }

    public Optional<Long> groupId(String name) {
        return jdbc.sql("select id from app_group where name = :name")
                .param("name", name)
                .query(Long.class)
                .optional();
    }

    /** Every account's name, for pickers. */
    public List<String> usernames() {
        return jdbc.sql("select username from app_user order by username")
                .query(String.class)
                .list();
    }

    public List<String> groupNames() {
        return jdbc.sql("select name from app_group order by name")
                .query(String.class)
                .list();
    }

    /** The user's own quota first, then those of their groups; limits left empty mean no limit. */
    @Transactional(readOnly = true)
    public List<Quota> quotas(String username) {
        var quotas = new ArrayList<Quota>();
        jdbc.sql("select username, quota_vms, quota_vcpus, quota_memory_mib from app_user where username = :name")
                .param("name", username)
                .query(Accounts::quota)
                .list()
                .forEach(quotas::add);
        jdbc.sql("""
                        select '@' || g.name, g.quota_vms, g.quota_vcpus, g.quota_memory_mib
                          from app_group g
                          join app_group_member m on m.group_id = g.id
                          join app_user u on u.id = m.user_id
                         where u.username = :name
                         order by g.name
                        """).param("name", username).query(Accounts::quota).list().forEach(quotas::add);
        return quotas;
    }

    private static Quota quota(ResultSet rs, int row) throws SQLException {
        return new Quota(
                rs.getString(1),
                rs.getObject(2, Integer.class),
                rs.getObject(3, Integer.class),
                rs.getObject(4, Long.class));
    }

    /** The roles of an enabled account, its groups' included; none for a disabled or unknown one. */
    public Set<Role> currentRoles(String username) {
        return identity(username).map(AccountIdentity::roles).orElse(Set.of());
    }

    /**
     * {@link #currentRoles(String)} for many names in one query; a disabled, unknown or role-less account is
     * absent from the answer.
     */
    @Transactional(readOnly = true)
    Map<String, Set<Role>> currentRoles(Collection<String> usernames) {
        if (usernames.isEmpty()) {
            return Map.of();
        }
        var roles = new HashMap<String, Set<Role>>();
        jdbc.sql("""
                        select u.username, r.role from app_user u
                          join app_user_role r on r.user_id = u.id
                         where u.enabled and u.username in (:names)
                        union
                        select u.username, gr.role from app_user u
                          join app_group_member m on m.user_id = u.id
                          join app_group_role gr on gr.group_id = m.group_id
                         where u.enabled and u.username in (:names)
                        """)
                .param("names", List.copyOf(usernames))
                .query((rs, row) -> Map.entry(rs.getString(1), Role.valueOf(rs.getString(2))))
                .list()
                .forEach(pair -> roles.computeIfAbsent(pair.getKey(), name -> EnumSet.noneOf(Role.class))
                        .add(pair.getValue()));
        return roles;
    }
}
