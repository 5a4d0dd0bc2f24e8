package org.kvmportal.console.relay;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.function.Consumer;

/** A {@link BrowserSocket} over the container's WebSocket session. */
final class WebSocketBrowser implements BrowserSocket {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final Session session;

    /** @param sendTimeout how long a message, ping or close may wait for a browser that does not read */
    WebSocketBrowser(Session session, Duration sendTimeout) {
        this.session = session;
        session.getAsyncRemote().setSendTimeout(sendTimeout.toMillis());
        // Pings and close frames are sent blocking; Tomcat's own limit for those is 20 s.
        session.getUserProperties().put("org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT", sendTimeout.toMillis());
    }

    @Override
    public void send(ByteBuffer message, Consumer<Throwable> done) {
        session.getAsyncRemote()
                .sendBinary(message, result -> done.accept(result.isOK() ? null : result.getException()));
    }

    @Override
    public void ping() throws IOException {
        session.getBasicRemote().sendPing(EMPTY.duplicate());
    }

    @Override
    public boolean isOpen() {
        return session.isOpen();
    }

    @Override
    public void close(int code, String reason) throws IOException {
        session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
    }

    @Override
    public int inputBufferSize() {
        return session.getMaxBinaryMessageBufferSize();
    }

    @Override
    public void inputBufferSize(int bytes) {
        session.setMaxBinaryMessageBufferSize(bytes);
    }
}
