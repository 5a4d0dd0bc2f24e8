package org.kvmportal.audit;

import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes audit entries older than {@code kvmportal.audit.retention} (default 400 days): a minute after start,
 * then daily. This is the only way entries ever leave the log, in one bulk statement, and it is itself audited
 * as {@code AUDIT_PURGED} with the number of entries deleted.
 */
@Component
@EnableScheduling
class AuditRetention {

    private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);

    private final AuditStore store;
    private final AuditLog audit;
    private final Duration retention;

    AuditRetention(AuditStore store, AuditLog audit, @Value("${kvmportal.audit.retention:400d}") Duration retention) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("kvmportal.audit.retention must be positive, not " + retention);
        }
        this.store = store;
        this.audit = audit;
        this.retention = retention;
    }

    @Scheduled(initialDelayString = "PT1M", fixedDelayString = "P1D")
    void purgeOnSchedule() {
        purge(Instant.now());
    }

    /** Deletes the entries older than the retention period before {@code now}; returns how many. */
    synchronized int purge(Instant now) {
        Instant cutoff = now.minus(retention);
        int deleted;
        try {
            deleted = store.deleteBefore(cutoff);
        } catch (RuntimeException e) {
            log.error("Could not purge audit entries older than {}", cutoff, e);
            audit.record(purged("FAILURE", "entries before " + cutoff + " not deleted: " + e.getMessage()));
            return 0;
        }
        log.info("Purged {} audit entries older than {} ({})", deleted, cutoff, retention);
        audit.record(
                purged("SUCCESS", deleted + " entries before " + cutoff + " deleted (retention " + retention + ")"));
        return deleted;
    }

    private static AuditEntry purged(String result, String detail) {
        return AuditEntry.of(Actor.portal(), "AUDIT_PURGED", "audit log", null, null, result, detail);
    }
}
