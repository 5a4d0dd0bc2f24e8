package org.kvmportal.console.relay;

import jakarta.servlet.http.HttpSession;
import java.time.Duration;
import java.util.List;
import org.kvmportal.console.CloseReason;
import org.kvmportal.console.ConsoleGrant;
import org.kvmportal.console.ConsoleSessions;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.SubProtocolCapable;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.standard.StandardWebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/** The WebSocket side of the screen console: one {@link ScreenRelay} per connection. */
final class ScreenRelayHandler extends AbstractWebSocketHandler implements SubProtocolCapable {

    /** What the browser must offer beside its ticket; the server answers with it. */
    static final String SUBPROTOCOL = "kvmportal.console";

    private static final String RELAY = "kvmportal.console.relay";
    private final ConsoleSessions sessions;
    private final DisplayLocator locator;
    /** The container gives up on a browser that has not taken a chunk for this long. */
    private final Duration sendTimeout;

    ScreenRelayHandler(ConsoleSessions sessions, DisplayLocator locator, Duration sendTimeout) {
        this.sessions = sessions;
        this.locator = locator;
        this.sendTimeout = sendTimeout;
    }

    @Override
    public List<String> getSubProtocols() {
        return List.of(SUBPROTOCOL);
    }

    @Override
    public boolean supportsPartialMessages() {
        return true; // RFB is a byte stream: fragments are forwarded as they come, nothing is reassembled
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        var grant = (ConsoleGrant) session.getAttributes().get(TicketHandshake.GRANT);
        var httpSession = (HttpSession) session.getAttributes().get(TicketHandshake.HTTP_SESSION);
        if (session instanceof StandardWebSocketSession standard) {
            standard.getNativeSession()
                    .getUserProperties()
                    .put("org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT", sendTimeout.toMillis());
        }
        var relay = new ScreenRelay(
                session,
                grant,
                (String) session.getAttributes().get(TicketHandshake.CLIENT_ADDRESS),
                closed -> sessions.unregister(closed, closed.closeReason()));
        session.getAttributes().put(RELAY, relay);
        // The relay connects to the display while the console is registered (and audited): see ScreenRelay.admit.
        Thread.ofVirtual().name("console-" + grant.vmName()).start(() -> relay.run(locator));
        boolean registered = sessions.register(relay, httpSession);
        relay.admit(registered);
        if (!registered) {
            relay.close(CloseReason.TOO_MANY);
        } else if (relay.closeReason() != null) {
            // It ended meanwhile (no display, say): its close came before there was anything to unregister.
            sessions.unregister(relay, relay.closeReason());
        }
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
        var relay = (ScreenRelay) session.getAttributes().get(RELAY);
        if (relay != null) {
            relay.fromBrowser(message.getPayload());
        }
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
        var relay = (ScreenRelay) session.getAttributes().get(RELAY);
        if (relay != null) {
            relay.close(CloseReason.INPUT_REFUSED);
        }
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) {
        afterConnectionClosed(session, CloseStatus.SERVER_ERROR);
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        var relay = (ScreenRelay) session.getAttributes().get(RELAY);
        if (relay != null) {
            relay.browserGone();
        }
    }
}
