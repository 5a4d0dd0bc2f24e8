package org.kvmportal.host;

import java.util.List;
import org.kvmportal.hypervisor.HostStatus;
import org.kvmportal.hypervisor.Hypervisor;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

@Service
public class HostService {

    private final Hypervisor hypervisor;

    HostService(Hypervisor hypervisor) {
        this.hypervisor = hypervisor;
    }

    @PreAuthorize("hasRole('ADMIN')")
    public List<HostStatus> hosts() {
        return hypervisor.hosts();
    }
}
