package org.kvmportal.vm;

import java.util.Set;
import org.kvmportal.audit.AuditVisibility;
import org.kvmportal.hypervisor.DomainRef;
import org.springframework.stereotype.Component;

/** Users read the audit entries about the VMs assigned to them (help desk: the VMs they support). */
@Component
class VmAuditVisibility implements AuditVisibility {

    private final VmAccessPolicy policy;

    VmAuditVisibility(VmAccessPolicy policy) {
        this.policy = policy;
    }

    @Override
    public Set<DomainRef> vmsVisibleTo(String username) {
        return policy.scope(username).assignedAndSupported();
    }
}
