package org.kvmportal.console;

/**
 * Why a console handshake was refused. The browser sees the same 403 for each; the audit log and the server log
 * say which, so that a replayed ticket or a page on a foreign site trying the console shows up as such.
 */
public enum HandshakeRefusal {
    FOREIGN_ORIGIN("the request's Origin is missing or not the portal's own"),
    NO_TICKET("no ticket offered"),
    UNKNOWN_TICKET("a ticket the portal never issued, or forgot since"),
    REPLAYED_TICKET("a ticket that was used already"),
    EXPIRED_TICKET("the ticket had expired"),
    OTHER_SESSION("the ticket was issued to another HTTP session"),
    WRONG_KIND("the ticket is for another kind of console"),
    SIGNED_OUT("the HTTP session is no longer signed in as the ticket's user"),
    NO_ACCESS("the user may no longer use this console"),
    TOO_MANY_CONSOLES("the user has the most consoles open already");

    private final String text;

    HandshakeRefusal(String text) {
        this.text = text;
    }

    /** In words, for the log. */
    public String text() {
        return text;
    }
}
