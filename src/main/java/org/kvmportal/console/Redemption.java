package org.kvmportal.console;

/** What presenting a ticket gave: the console it allows, or why not (with the grant it named, if any). */
public sealed interface Redemption {

    /** The ticket was good: this console may open, if the rest of the handshake agrees. */
    record Admitted(ConsoleGrant grant) implements Redemption {}

    /**
     * @param claimed the grant the ticket was issued for, when the portal knows it (an expired, replayed or
     *     misdirected ticket); null for a ticket it never issued
     */
    record Refused(HandshakeRefusal reason, ConsoleGrant claimed) implements Redemption {}
}
