package org.kvmportal.vm;

import java.util.Set;
import org.kvmportal.access.Accounts;
import org.kvmportal.access.Role;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.Hypervisor;
import org.springframework.stereotype.Component;

/**
 * Who may use which VM's console, answered from the database's current view of the user rather than the
 * session's, so that an open console can be re-checked while it runs and ends when access is withdrawn.
 *
 * <p>Until VM ownership exists, administrators and help-desk staff may use every console (help desk joins
 * view-only unless they ask for control); everyone else none.
 */
@Component
public class VmAccessPolicy {

    private final Accounts accounts;
    private final Hypervisor hypervisor;

    VmAccessPolicy(Accounts accounts, Hypervisor hypervisor) {
        this.accounts = accounts;
        this.hypervisor = hypervisor;
    }

    public ConsoleAccess consoleAccess(String username, DomainRef ref) {
        if (hypervisor.domain(ref).isEmpty()) {
            return ConsoleAccess.NONE;
        }
        Set<Role> roles = accounts.currentRoles(username);
        return roles.contains(Role.ADMIN) || roles.contains(Role.HELPDESK)
                ? ConsoleAccess.INTERACTIVE
                : ConsoleAccess.NONE;
    }
}
