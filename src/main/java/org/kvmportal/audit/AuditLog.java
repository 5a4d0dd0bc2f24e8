package org.kvmportal.audit;

import java.util.List;
import org.springframework.data.domain.PageRequest;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class AuditLog {

    private final AuditEventRepository repository;

    AuditLog(AuditEventRepository repository) {
        this.repository = repository;
    }

    /** Appends an entry. Open to every caller: recording must never fail for lack of a right. */
    @Transactional
    public void record(AuditEntry entry) {
        repository.save(new AuditEvent(entry));
    }

    @Transactional(readOnly = true)
    @PreAuthorize("hasRole('ADMIN')")
    public List<AuditEntry> latest(int count) {
        return repository.findByOrderByOccurredAtDescIdDesc(PageRequest.of(0, Math.clamp(count, 1, 1000))).stream()
                .map(AuditEvent::toEntry)
                .toList();
    }
}
