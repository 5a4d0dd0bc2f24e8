package org.kvmportal.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.kvmportal.hypervisor.DomainRef;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads the audit log and purges old entries, in SQL with bound parameters only: the statements are built from
 * fixed fragments, every value the user typed goes in as a parameter. Writing stays with
 * {@link AuditEventRepository}; nothing here updates a row, and the only delete is {@link #deleteBefore}.
 */
@Component
class AuditStore {

    private static final String COLUMNS =
            "occurred_at, username, user_role, client_address, action, target, vm_host, vm_uuid, reason, result, detail";
    /** Long IN lists are split: some databases limit their length, and plans for huge lists are poor. */
    private static final int IN_CHUNK = 500;

    private final JdbcClient jdbc;

    AuditStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The entries matching the query, newest first.
     *
     * @param visible the VMs whose entries may be read, or null for all entries
     */
    List<AuditEntry> find(AuditQuery query, Set<DomainRef> visible, int offset, int limit) {
        var where = where(query, visible);
        return jdbc.sql("select " + COLUMNS + " from audit_event" + where.sql
                        + " order by occurred_at desc, id desc offset :offset rows fetch next :limit rows only")
                .params(where.params)
                .param("offset", offset)
                .param("limit", limit)
                .query(AuditStore::entry)
                .list();
    }

    int count(AuditQuery query, Set<DomainRef> visible) {
        var where = where(query, visible);
        return jdbc.sql("select count(*) from audit_event" + where.sql)
                .params(where.params)
                .query(Integer.class)
                .single();
    }

    /** Streams up to {@code max} matching entries, newest first, one at a time: never all of them in memory. */
    void forEach(AuditQuery query, Set<DomainRef> visible, int max, Consumer<AuditEntry> sink) {
        var where = where(query, visible);
        jdbc.sql("select " + COLUMNS + " from audit_event" + where.sql + " order by occurred_at desc, id desc")
                .params(where.params)
                .withFetchSize(500)
                .withMaxRows(max)
                .query(rs -> {
                    sink.accept(entry(rs, 0));
                });
    }

    /** The action names in the log, for a filter's choices. */
    List<String> actions() {
        return jdbc.sql("select distinct action from audit_event order by action")
                .query(String.class)
                .list();
    }

    /** The one delete of the audit log: a single statement for everything older than the cutoff. */
    int deleteBefore(Instant cutoff) {
        return jdbc.sql("delete from audit_event where occurred_at < :cutoff")
                .param("cutoff", utc(cutoff))
                .update();
    }

    private record Where(String sql, Map<String, Object> params) {}

    private static Where where(AuditQuery query, Set<DomainRef> visible) {
        var sql = new StringBuilder(" where 1 = 1");
        var params = new LinkedHashMap<String, Object>();
        if (query.user() != null) {
            if (query.exactUser()) {
                sql.append(" and username = :user");
                params.put("user", query.user());
            } else {
                sql.append(" and lower(username) like :user escape '!'");
                params.put("user", containing(query.user()));
            }
        }
        if (query.vmText() != null) {
            sql.append(" and lower(target) like :vmText escape '!'");
            params.put("vmText", containing(query.vmText()));
        }
        if (query.vm() != null) {
            sql.append(" and vm_host = :vmHost and vm_uuid = :vmUuid");
            params.put("vmHost", query.vm().host());
            params.put("vmUuid", query.vm().uuid());
        }
        if (!query.actions().isEmpty()) {
            sql.append(" and action in (:actions)");
            params.put("actions", List.copyOf(query.actions()));
        }
        if (query.from() != null) {
            sql.append(" and occurred_at >= :from");
            params.put("from", utc(query.from()));
        }
        if (query.to() != null) {
            sql.append(" and occurred_at < :to");
            params.put("to", utc(query.to()));
        }
        if (query.result() != null) {
            sql.append(" and result = :result");
            params.put("result", query.result());
        }
        if (visible != null) {
            sql.append(" and ").append(visibleVms(visible, params));
        }
        return new Where(sql.toString(), params);
    }

    /** {@code (vm_host = :h0 and vm_uuid in (:u0) or ...)}, one IN list per host (and chunk); false when empty. */
    private static String visibleVms(Set<DomainRef> visible, Map<String, Object> params) {
        Map<String, List<UUID>> byHost = visible.stream()
                .collect(Collectors.groupingBy(
                        DomainRef::host, TreeMap::new, Collectors.mapping(DomainRef::uuid, Collectors.toList())));
        var terms = new ArrayList<String>();
        int n = 0;
        for (var host : byHost.entrySet()) {
            List<UUID> uuids = host.getValue();
            for (int start = 0; start < uuids.size(); start += IN_CHUNK, n++) {
                terms.add("(vm_host = :vh" + n + " and vm_uuid in (:vu" + n + "))");
                params.put("vh" + n, host.getKey());
                params.put("vu" + n, uuids.subList(start, Math.min(uuids.size(), start + IN_CHUNK)));
            }
        }
        return terms.isEmpty() ? "1 = 0" : "(" + String.join(" or ", terms) + ")";
    }

    /** A LIKE pattern for a substring, with the pattern's own characters escaped (escape character '!'). */
    private static String containing(String text) {
        String escaped = text.toLowerCase(Locale.ROOT)
                .replace("!", "!!")
                .replace("%", "!%")
                .replace("_", "!_");
        return "%" + escaped + "%";
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static AuditEntry entry(ResultSet rs, int row) throws SQLException {
        String host = rs.getString("vm_host");
        UUID uuid = rs.getObject("vm_uuid", UUID.class);
        return new AuditEntry(
                rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                rs.getString("username"),
                rs.getString("user_role"),
                rs.getString("client_address"),
                rs.getString("action"),
                rs.getString("target"),
                host == null || uuid == null ? null : new DomainRef(host, uuid),
                rs.getString("reason"),
                rs.getString("result"),
                rs.getString("detail"));
    }
}
