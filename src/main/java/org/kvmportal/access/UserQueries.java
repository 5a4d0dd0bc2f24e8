package org.kvmportal.access;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads users with their roles and groups in three queries per page, however many rows: the users list and
 * the help-desk search show groups on every row.
 */
@Component
class UserQueries {

    private static final String COLUMNS = """
            select id, username, display_name, email, enabled, auth_source, must_change_password,
                   quota_vms, quota_vcpus, quota_memory_mib
              from app_user
            """;
    /** Case-insensitive substring of name, display name or e-mail; {@code \} escapes LIKE's wildcards. */
    private static final String MATCHES = """
             where lower(username) like :pattern escape '\\'
                or lower(display_name) like :pattern escape '\\'
                or lower(coalesce(email, '')) like :pattern escape '\\'
            """;

    private record Row(long id, ManagedUser withoutRelations) {}

    private final JdbcClient jdbc;

    UserQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<ManagedUser> search(String text, int offset, int limit) {
        var rows = jdbc.sql(COLUMNS + MATCHES + " order by username limit :limit offset :offset")
                .param("pattern", pattern(text))
                .param("limit", Math.max(0, limit))
                .param("offset", Math.max(0, offset))
                .query(UserQueries::row)
                .list();
        return withRelations(rows);
    }

    int count(String text) {
        return jdbc.sql("select count(*) from app_user" + MATCHES)
                .param("pattern", pattern(text))
                .query(Integer.class)
                .single();
    }

    Optional<ManagedUser> find(String username) {
        var rows = jdbc.sql(COLUMNS + " where username = :username")
                .param("username", username == null ? "" : username)
                .query(UserQueries::row)
                .list();
        return withRelations(rows).stream().findFirst();
    }

    /** Enabled users who are admins through their own role or a group's. */
    int enabledAdmins() {
        return jdbc.sql("""
                        select count(*) from app_user u
                         where u.enabled
                           and (exists (select 1 from app_user_role r where r.user_id = u.id and r.role = 'ADMIN')
                             or exists (select 1 from app_group_member m
                                          join app_group_role gr on gr.group_id = m.group_id
                                         where m.user_id = u.id and gr.role = 'ADMIN'))
                        """).query(Integer.class).single();
    }

    private List<ManagedUser> withRelations(List<Row> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        var ids = rows.stream().map(Row::id).toList();
        Map<Long, Set<Role>> roles = new HashMap<>();
        jdbc.sql("select user_id, role from app_user_role where user_id in (:ids)")
                .param("ids", ids)
                .query((rs, n) -> add(roles, rs.getLong(1), Role.valueOf(rs.getString(2))))
                .list();
        Map<Long, Set<Role>> groupRoles = new HashMap<>();
        jdbc.sql("""
                        select m.user_id, gr.role from app_group_member m
                          join app_group_role gr on gr.group_id = m.group_id
                         where m.user_id in (:ids)
                        """)
                .param("ids", ids)
                .query((rs, n) -> add(groupRoles, rs.getLong(1), Role.valueOf(rs.getString(2))))
                .list();
        Map<Long, Set<String>> groups = new HashMap<>();
        jdbc.sql("""
                        select m.user_id, g.name from app_group_member m
                          join app_group g on g.id = m.group_id
                         where m.user_id in (:ids)
                        """)
                .param("ids", ids)
                .query((rs, n) -> groups.computeIfAbsent(rs.getLong(1), id -> new TreeSet<>())
                        .add(rs.getString(2)))
                .list();
        var users = new ArrayList<ManagedUser>(rows.size());
        for (var row : rows) {
            var base = row.withoutRelations();
            users.add(new ManagedUser(
                    base.username(),
                    base.displayName(),
                    base.email(),
                    base.enabled(),
                    roles.getOrDefault(row.id(), Set.of()),
                    groupRoles.getOrDefault(row.id(), Set.of()),
                    groups.getOrDefault(row.id(), Set.of()),
                    base.source(),
                    base.mustChangePassword(),
                    base.quotas()));
        }
        return users;
    }

    private static boolean add(Map<Long, Set<Role>> map, long id, Role role) {
        return map.computeIfAbsent(id, key -> EnumSet.noneOf(Role.class)).add(role);
    }

    private static Row row(ResultSet rs, int rowNum) throws SQLException {
        var user = new ManagedUser(
                rs.getString("username"),
                rs.getString("display_name"),
                rs.getString("email"),
                rs.getBoolean("enabled"),
                Set.of(),
                Set.of(),
                Set.of(),
                AuthSource.valueOf(rs.getString("auth_source")),
                rs.getBoolean("must_change_password"),
                new Quotas(
                        rs.getObject("quota_vms", Integer.class),
                        rs.getObject("quota_vcpus", Integer.class),
                        rs.getObject("quota_memory_mib", Long.class)));
        return new Row(rs.getLong("id"), user);
    }

    private static String pattern(String text) {
        String clean = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        return "%" + clean.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
