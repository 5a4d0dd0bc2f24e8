package org.kvmportal.console.relay;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/** The browser's WebSocket as a relay uses it: binary sends that finish later, pings and a close. */
interface BrowserSocket {

    /**
     * Starts sending one binary message and returns at once; {@code done} is told once, with null when the
     * message was taken or with what went wrong (a timeout when the browser stopped reading). One at a time:
     * the next send waits for the last one's {@code done}, and the buffer is the browser's until then.
     */
    void send(ByteBuffer message, Consumer<Throwable> done);

    void ping() throws IOException;

    boolean isOpen();

    void close(int code, String reason) throws IOException;

    /** How large a browser message may be before it is handed over in parts. */
    int inputBufferSize();

    /** Takes effect at the browser's next message. */
    void inputBufferSize(int bytes);
}
