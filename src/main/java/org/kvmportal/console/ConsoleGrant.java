package org.kvmportal.console;

import org.kvmportal.hypervisor.DomainRef;

/**
 * What a ticket allows: this user, on this HTTP session, to open this console of this VM.
 *
 * @param interactive false for a view-only console, whose keyboard and mouse input the relay drops
 * @param role the roles the user held when they asked for the ticket, for the audit entries of the console,
 *     which are written on threads where the user's request is gone
 */
public record ConsoleGrant(
        String username,
        DomainRef vm,
        String vmName,
        ConsoleKind kind,
        boolean interactive,
        String httpSessionId,
        String role) {}
