package org.kvmportal.console;

import org.kvmportal.hypervisor.DomainRef;

/**
 * What a ticket allows: this user, on this HTTP session, to open this console of this VM.
 *
 * @param interactive false for a view-only console, whose keyboard and mouse input the relay drops
 */
public record ConsoleGrant(
        String username, DomainRef vm, String vmName, ConsoleKind kind, boolean interactive, String httpSessionId) {}
