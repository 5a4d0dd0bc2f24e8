package org.kvmportal.audit;

import org.springframework.data.repository.Repository;

/**
 * Deliberately a plain {@link Repository} with one method: entries are inserted here and nowhere else, and
 * nothing can update or delete them through it. Reads and the retention purge are in {@link AuditStore}.
 */
interface AuditEventRepository extends Repository<AuditEvent, Long> {

    AuditEvent save(AuditEvent event);
}
