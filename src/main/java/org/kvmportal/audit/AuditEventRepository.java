package org.kvmportal.audit;

import java.util.List;
import org.springframework.data.domain.Pageable;
import org.springframework.data.repository.Repository;

/** Deliberately a plain {@link Repository}: save and read only, so nothing can update or delete entries. */
interface AuditEventRepository extends Repository<AuditEvent, Long> {

    AuditEvent save(AuditEvent event);

    List<AuditEvent> findByOrderByOccurredAtDescIdDesc(Pageable page);
}
