package org.kvmportal.vm;

import java.util.List;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.Hypervisor;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;

/** The VMs the signed-in user may see, read from the hypervisor's in-memory inventory (never blocks). */
@Service
public class VmService {

    private final Hypervisor hypervisor;

    VmService(Hypervisor hypervisor) {
        this.hypervisor = hypervisor;
    }

    /**
     * Admins and help-desk staff see every VM. Ownership of VMs by users, groups and labs comes with access
     * control; until then other roles see none rather than all.
     */
    @PreAuthorize("isAuthenticated()")
    public List<DomainSummary> visibleVms() {
        if (!seesAllVms(SecurityContextHolder.getContext().getAuthentication())) {
            return List.of();
        }
        return hypervisor.domains();
    }

    private static boolean seesAllVms(Authentication authentication) {
        return authentication.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .anyMatch(authority -> authority.equals("ROLE_ADMIN") || authority.equals("ROLE_HELPDESK"));
    }
}
