package org.kvmportal.audit;

import java.time.Instant;
import org.kvmportal.hypervisor.DomainRef;

/**
 * One audit record as shown to people.
 *
 * @param role the roles the user acted with, comma-separated; {@link Actor#ANONYMOUS} for someone not signed in
 *     (a failed sign-in, a refused console), {@link Actor#SYSTEM} for the portal's own work
 * @param client the client's IP address; {@link Actor#NO_CLIENT} for the portal's own work
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
     * An entry for what {@code actor} did, recorded as it happens (the audit log adds the time). The actor is
     * taken when the action starts ({@link AuditLog#actor()}), so the entry names who, with which roles and from
     * where, whichever thread writes it.
     */
    public static AuditEntry of(
            Actor actor, String action, String target, DomainRef vm, String reason, String result, String detail) {
        return new AuditEntry(
                null, actor.username(), actor.role(), actor.client(), action, target, vm, reason, result, detail);
    }

    /** This entry, as of {@code instant}: for entries written a while after what they record happened. */
    public AuditEntry at(Instant instant) {
        return new AuditEntry(instant, username, role, client, action, target, vm, reason, result, detail);
    }
}
