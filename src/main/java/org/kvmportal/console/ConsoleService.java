package org.kvmportal.console;

import java.util.List;
import org.kvmportal.audit.AuditLog;
import org.kvmportal.base.CurrentUser;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.Hypervisor;
import org.kvmportal.vm.ConsoleAccess;
import org.kvmportal.vm.VmAccessPolicy;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.stereotype.Service;

/**
 * Opening consoles, for the signed-in user. A console view asks for a ticket here, then hands it to the
 * browser, which presents it once in the WebSocket handshake; the relay checks it and the user's access again.
 */
@Service
@PreAuthorize("isAuthenticated()")
public class ConsoleService {

    private final CurrentUser caller;

    private final VmAccessPolicy access;
    private final ConsoleTickets tickets;
    private final ConsoleSessions sessions;
    private final Hypervisor hypervisor;
    private final AuditLog audit;

    ConsoleService(
            VmAccessPolicy access,
            ConsoleTickets tickets,
            ConsoleSessions sessions,
            Hypervisor hypervisor,
            CurrentUser caller,
            AuditLog audit) {
        this.caller = caller;
        this.audit = audit;
        this.access = access;
        this.tickets = tickets;
        this.sessions = sessions;
        this.hypervisor = hypervisor;
    }

    /** How far the signed-in user may use this VM's console. */
    public ConsoleAccess access(DomainRef vm) {
        return access.consoleAccess(caller.username(), vm);
    }

    /**
     * A one-time ticket for one connection to a console of {@code vm}, usable only from the HTTP session
     * {@code httpSessionId} (the caller's own, taken on the server from the Vaadin session).
     *
     * @throws ConsoleRefusedException with a message for the user: no access, VM not running, too many
     *     consoles open, or too many tickets asked for
     */
    public String openTicket(DomainRef vm, ConsoleKind kind, boolean interactive, String httpSessionId) {
        String username = caller.username();
        DomainSummary summary = hypervisor.domain(vm).orElse(null);
        ConsoleAccess allowed = access.consoleAccess(username, vm); // one database read per ticket
        if (summary == null || !allowed.allows(interactive)) {
            throw new ConsoleAccessRefusedException(
                    interactive && allowed.allows(false)
                            ? "You may watch this console, not control it."
                            : "You do not have access to this console.");
        }
        if (!summary.state().isActive()) {
            throw new ConsoleRefusedException(summary.name() + " is not running: start it to use its console.");
        }
        if (!sessions.belowLimit(username)) {
            throw new ConsoleRefusedException("You have " + sessions.maxPerUser()
                    + " consoles open, the most allowed. Close one, then try again.");
        }
        return tickets.issue(new ConsoleGrant(
                username,
                vm,
                summary.name(),
                kind,
                interactive,
                httpSessionId,
                audit.actor().role()));
    }

    /**
     * Whether a console of this VM should open view-only unless the user asks for control: for help-desk
     * staff, and for anyone joining a console somebody else already has open, so that watching never
     * disturbs the person working in it.
     */
    public boolean startsViewOnly(DomainRef vm) {
        var authorities = caller.authentication().getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .toList();
        boolean helpDesk = authorities.contains("ROLE_HELPDESK") && !authorities.contains("ROLE_ADMIN");
        return helpDesk || !sessions.viewers(vm).isEmpty() || access(vm) == ConsoleAccess.VIEW_ONLY;
    }

    /** Who has this VM's console open, if the signed-in user may see its console at all. */
    public List<ConsoleViewer> viewers(DomainRef vm) {
        return access(vm) == ConsoleAccess.NONE ? List.of() : sessions.viewers(vm);
    }

    /** @return call it to stop listening */
    public Runnable onViewersChanged(Runnable callback) {
        return sessions.onViewersChanged(callback);
    }
}
