package org.kvmportal.audit;

import java.time.Instant;
import java.util.Collection;
import java.util.Set;
import org.kvmportal.hypervisor.DomainRef;

/**
 * A filter over the audit log; every part left null (or empty) matches everything. Results are newest first.
 *
 * @param user the user name: matched exactly when {@code exactUser}, else as a case-insensitive substring
 * @param vmText a case-insensitive substring of the target (a VM's host, name or UUID, or a host's name)
 * @param vm exactly this VM
 * @param actions any of these actions
 * @param from entries at or after this instant
 * @param to entries before this instant
 * @param result SUCCESS, FAILURE or REFUSED
 */
public record AuditQuery(
        String user,
        boolean exactUser,
        String vmText,
        DomainRef vm,
        Set<String> actions,
        Instant from,
        Instant to,
        String result) {

    public static final AuditQuery ALL = new AuditQuery(null, false, null, null, Set.of(), null, null, null);

    public AuditQuery {
        user = blankToNull(user);
        vmText = blankToNull(vmText);
        actions = actions == null ? Set.of() : Set.copyOf(actions);
        result = blankToNull(result);
    }

    public AuditQuery withUserContaining(String text) {
        return new AuditQuery(text, false, vmText, vm, actions, from, to, result);
    }

    public AuditQuery withUser(String username) {
        return new AuditQuery(username, true, vmText, vm, actions, from, to, result);
    }

    public AuditQuery withVmText(String text) {
        return new AuditQuery(user, exactUser, text, vm, actions, from, to, result);
    }

    public AuditQuery withVm(DomainRef ref) {
        return new AuditQuery(user, exactUser, vmText, ref, actions, from, to, result);
    }

    public AuditQuery withActions(Collection<String> names) {
        return new AuditQuery(user, exactUser, vmText, vm, Set.copyOf(names), from, to, result);
    }

    public AuditQuery withActions(String... names) {
        return withActions(Set.of(names));
    }

    public AuditQuery between(Instant start, Instant end) {
        return new AuditQuery(user, exactUser, vmText, vm, actions, start, end, result);
    }

    public AuditQuery withResult(String value) {
        return new AuditQuery(user, exactUser, vmText, vm, actions, from, to, value);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
