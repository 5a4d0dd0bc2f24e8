package org.kvmportal.console.relay;

import jakarta.servlet.http.HttpSession;
import jakarta.websocket.Session;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.kvmportal.console.CloseReason;
import org.kvmportal.console.ConsoleGrant;
import org.kvmportal.console.ConsoleSessions;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.SubProtocolCapable;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/** The WebSocket side of a console endpoint: one {@link Relay} per connection that passed the handshake. */
final class RelayHandler extends AbstractWebSocketHandler implements SubProtocolCapable {

    /** What the browser must offer beside its ticket; the server answers with it. */
    static final String SUBPROTOCOL = "kvmportal.console";

    private static final String RELAY = "kvmportal.console.relay";

    private final ConsoleSessions sessions;
    private final Function<Relay.RelayContext, Relay> relays;
    /** The container gives up on a browser that has not taken a chunk for this long. */
    private final Duration sendTimeout;

    RelayHandler(ConsoleSessions sessions, Duration sendTimeout, Function<Relay.RelayContext, Relay> relays) {
        this.sessions = sessions;
        this.sendTimeout = sendTimeout;
        this.relays = relays;
    }

    @Override
    public List<String> getSubProtocols() {
        return List.of(SUBPROTOCOL);
    }

    @Override
    public boolean supportsPartialMessages() {
        return true; // consoles are byte streams: fragments are forwarded as they come, nothing is reassembled
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        var attributes = session.getAttributes();
        var relay = relays.apply(new Relay.RelayContext(
                new WebSocketBrowser(((NativeWebSocketSession) session).getNativeSession(Session.class), sendTimeout),
                (ConsoleGrant) attributes.get(TicketHandshake.GRANT),
                (String) attributes.get(TicketHandshake.CLIENT_ADDRESS),
                sendTimeout,
                closed -> sessions.unregister(closed, closed.closeReason()),
                TicketHandshake.farSideOf(session)));
        attributes.put(RELAY, relay);
        // The relay connects its far side while the console is registered: see Relay.admit.
        relay.start();
        boolean registered =
                sessions.register(relay, (ConsoleSessions.Slot) attributes.get(TicketHandshake.SLOT), (HttpSession)
                        attributes.get(TicketHandshake.HTTP_SESSION));
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
        var relay = (Relay) session.getAttributes().get(RELAY);
        if (relay != null) {
            relay.fromBrowser(message.getPayload(), message.isLast());
        }
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
        var relay = (Relay) session.getAttributes().get(RELAY);
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
        var relay = (Relay) session.getAttributes().get(RELAY);
        if (relay != null) {
            relay.browserGone();
        }
    }
}
