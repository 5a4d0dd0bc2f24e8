package org.kvmportal.console;

import java.time.Duration;
import java.time.Instant;

/** A console connection the relay is serving, as {@link ConsoleSessions} sees it. */
public interface OpenConsole {

    ConsoleGrant grant();

    Instant openedAt();

    /** The browser's address, for the audit log. */
    String clientAddress();

    long bytesToBrowser();

    long bytesFromBrowser();

    /** Ends the connection with this reason; idempotent, never blocks for long. */
    void close(CloseReason reason);

    /**
     * Called now and then: sends a WebSocket ping if nothing was sent for {@code quietFor}, so that idle
     * consoles survive proxies, and gives back buffers a console quiet for that long no longer needs.
     */
    void keepAlive(Duration quietFor);
}
