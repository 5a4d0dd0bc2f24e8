package org.kvmportal.audit;

import java.util.Set;
import org.kvmportal.hypervisor.DomainRef;

/**
 * Which VMs' audit entries a user who is not an admin may read: the entries whose {@link AuditEntry#vm() vm}
 * is one of these. The audit log cannot know who may see which VM (that is the {@code vm} feature's business,
 * and {@code vm} depends on {@code audit}, not the other way round), so the {@code vm} feature provides this
 * as a bean. Without one, users who are not admins see no entries at all.
 */
public interface AuditVisibility {

    /** The VMs the user may see, possibly empty; never null. */
    Set<DomainRef> vmsVisibleTo(String username);
}
