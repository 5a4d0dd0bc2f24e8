package org.kvmportal.audit;

import java.time.Instant;
import org.kvmportal.hypervisor.DomainRef;

/**
 * One audit record as shown to people.
 *
 * @param role the roles the user acted with, comma-separated (null when unknown, e.g. a failed sign-in)
 * @param client the client's IP address, when the action came from a request
 * @param vm the VM the entry is about, or null: users see the entries about their own VMs through it
 * @param reason why the person did it, as they wrote it (help-desk actions ask for one)
 * @param result SUCCESS, FAILURE or REFUSED
 */
public record AuditEntry(
        Instant time,
        String username,
        String role,
        String client,
        String action,
        String target,
        DomainRef vm,
        String reason,
        String result,
        String detail) {

    /**
     * An entry for what {@code username} did, recorded as it happens: the audit log adds the time, and the
     * roles and client address when it is recorded in that user's own request.
     */
    public static AuditEntry of(
            String username, String action, String target, DomainRef vm, String reason, String result, String detail) {
        return new AuditEntry(null, username, null, null, action, target, vm, reason, result, detail);
    }
}
