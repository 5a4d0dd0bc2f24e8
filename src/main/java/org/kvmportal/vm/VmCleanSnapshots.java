package org.kvmportal.vm;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.kvmportal.hypervisor.DomainRef;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** The snapshot each VM's "Reset to clean state" reverts to, as an admin marked it. No checks here. */
@Component
class VmCleanSnapshots {

    private final JdbcClient jdbc;
    private final Clock clock = Clock.systemUTC();

    VmCleanSnapshots(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(readOnly = true)
    Optional<String> of(DomainRef vm) {
        return jdbc.sql("select snapshot_name from vm_clean_snapshot where host = :host and vm_uuid = :uuid")
                .param("host", vm.host())
                .param("uuid", vm.uuid())
                .query(String.class)
                .optional();
    }

    @Transactional
    void mark(DomainRef vm, String snapshot, String by) {
        clear(vm);
        jdbc.sql("""
                        insert into vm_clean_snapshot (host, vm_uuid, snapshot_name, marked_by, marked_at)
                        values (:host, :uuid, :snapshot, :by, :at)
                        """)
                .param("host", vm.host())
                .param("uuid", vm.uuid())
                .param("snapshot", snapshot)
                .param("by", by)
                .param("at", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .update();
    }

    @Transactional
    void clear(DomainRef vm) {
        jdbc.sql("delete from vm_clean_snapshot where host = :host and vm_uuid = :uuid")
                .param("host", vm.host())
                .param("uuid", vm.uuid())
                .update();
    }

    /** Carries the mark to the same VM on another host after a migration. */
    @Transactional
    void move(DomainRef from, DomainRef to) {
        clear(to);
        jdbc.sql("update vm_clean_snapshot set host = :to, vm_uuid = :toUuid where host = :from and vm_uuid = :uuid")
                .param("to", to.host())
                .param("toUuid", to.uuid())
                .param("from", from.host())
                .param("uuid", from.uuid())
                .update();
    }
}
