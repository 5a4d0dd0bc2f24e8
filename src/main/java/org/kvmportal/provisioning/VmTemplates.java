package org.kvmportal.provisioning;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.kvmportal.hypervisor.DomainRef;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** The templates as stored: VM (host + UUID) to whether users may self-serve from it. No checks here. */
@Component
class VmTemplates {

    private final JdbcClient jdbc;
    private final Clock clock = Clock.systemUTC();

    VmTemplates(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Every template, with its self-service flag. */
    @Transactional(readOnly = true)
    Map<DomainRef, Boolean> all() {
        return jdbc
                .sql("select host, vm_uuid, self_service from vm_template")
                .query((rs, row) -> Map.entry(
                        new DomainRef(rs.getString("host"), rs.getObject("vm_uuid", UUID.class)),
                        rs.getBoolean("self_service")))
                .list()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    @Transactional(readOnly = true)
    boolean isTemplate(DomainRef vm) {
        return jdbc.sql("select count(*) from vm_template where host = :host and vm_uuid = :uuid")
                        .param("host", vm.host())
                        .param("uuid", vm.uuid())
                        .query(Long.class)
                        .single()
                > 0;
    }

    @Transactional
    void mark(DomainRef vm, boolean selfService, String by) {
        unmark(vm);
        jdbc.sql("""
                        insert into vm_template (host, vm_uuid, self_service, marked_by, marked_at)
                        values (:host, :uuid, :selfService, :by, :at)
                        """)
                .param("host", vm.host())
                .param("uuid", vm.uuid())
                .param("selfService", selfService)
                .param("by", by)
                .param("at", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .update();
    }

    /** @return whether it was a template */
    @Transactional
    boolean unmark(DomainRef vm) {
        return jdbc.sql("delete from vm_template where host = :host and vm_uuid = :uuid")
                        .param("host", vm.host())
                        .param("uuid", vm.uuid())
                        .update()
                > 0;
    }
}
