package org.kvmportal.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.kvmportal.hypervisor.DomainRef;

/** Written once, never updated: the entity has no setters and the repository exposes no delete. */
@Entity
@Table(name = "audit_event")
class AuditEvent {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "occurred_at", nullable = false)
    private Instant occurredAt;

    @Column(length = 64)
    private String username;

    @Column(nullable = false, length = 64)
    private String action;

    @Column(length = 256)
    private String target;

    @Column(nullable = false, length = 16)
    private String result;

    @Column(length = 1024)
    private String detail;

    @Column(name = "client_address", length = 64)
    private String clientAddress;

    @Column(name = "user_role", length = 64)
    private String role;

    @Column(length = 1024)
    private String reason;

    @Column(name = "vm_host", length = 63)
    private String vmHost;

    @Column(name = "vm_uuid")
    private UUID vmUuid;

    protected AuditEvent() {}

    AuditEvent(AuditEntry entry) {
        this.occurredAt = entry.time();
        this.username = truncate(entry.username(), 64);
        this.action = truncate(entry.action(), 64);
        this.target = truncate(entry.target(), 256);
        this.result = truncate(entry.result(), 16);
        this.detail = truncate(entry.detail(), 1024);
        this.clientAddress = truncate(entry.client(), 64);
        this.role = truncate(entry.role(), 64);
        this.reason = truncate(entry.reason(), 1024);
        this.vmHost = entry.vm() == null ? null : entry.vm().host();
        this.vmUuid = entry.vm() == null ? null : entry.vm().uuid();
    }

    AuditEntry toEntry() {
        return new AuditEntry(
                occurredAt,
                username,
                role,
                clientAddress,
                action,
                target,
                vmHost == null ? null : new DomainRef(vmHost, vmUuid),
                reason,
                result,
                detail);
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
