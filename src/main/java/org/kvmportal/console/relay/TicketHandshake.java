package org.kvmportal.console.relay;

import jakarta.servlet.http.HttpSession;
import java.io.Closeable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.kvmportal.console.ConsoleGrant;
import org.kvmportal.console.ConsoleKind;
import org.kvmportal.console.ConsoleSessions;
import org.kvmportal.console.ConsoleTickets;
import org.kvmportal.vm.VmAccessPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.util.WebUtils;

/**
 * The gate of every console WebSocket: answers 403, before any byte is relayed, unless the request comes
 * from the portal's own origin, presents an unspent and unexpired ticket for this kind of console, from the
 * HTTP session the ticket was issued to, still signed in as the ticket's user, who still may use the console
 * and has not reached the limit of open consoles. Every refusal looks the same to the browser.
 */
final class TicketHandshake implements HandshakeInterceptor {

    static final String GRANT = "kvmportal.console.grant";
    static final String HTTP_SESSION = "kvmportal.console.httpSession";
    static final String CLIENT_ADDRESS = "kvmportal.console.client";
    static final String SLOT = "kvmportal.console.slot";
    static final String FAR_SIDE = "kvmportal.console.farSide";

    private static final Logger log = LoggerFactory.getLogger(TicketHandshake.class);

    private final ConsoleKind kind;
    private final ConsoleTickets tickets;
    private final ConsoleSessions sessions;
    private final VmAccessPolicy access;
    private final Function<ConsoleGrant, CompletableFuture<? extends Closeable>> farSide;

    /**
     * @param farSide starts connecting the console's far side for a handshake that passed, so that it overlaps
     *     the rest of the upgrade; answers null where there is nothing to start early
     */
    TicketHandshake(
            ConsoleKind kind,
            ConsoleTickets tickets,
            ConsoleSessions sessions,
            VmAccessPolicy access,
            Function<ConsoleGrant, CompletableFuture<? extends Closeable>> farSide) {
        this.kind = kind;
        this.tickets = tickets;
        this.sessions = sessions;
        this.access = access;
        this.farSide = farSide;
    }

    /** The far side's connection the handshake started for this console, if any. */
    @SuppressWarnings("unchecked")
    static CompletableFuture<? extends Closeable> farSideOf(WebSocketSession console) {
        return (CompletableFuture<? extends Closeable>) console.getAttributes().get(FAR_SIDE);
    }

    @Override
    public boolean beforeHandshake(
            ServerHttpRequest request,
            ServerHttpResponse response,
            WebSocketHandler handler,
            Map<String, Object> attributes) {
        var grant = check(request);
        if (grant.isEmpty()) {
            response.setStatusCode(HttpStatus.FORBIDDEN);
            return false;
        }
        var slot = sessions.reserve(grant.get().username());
        if (slot.isEmpty()) {
            log.info(
                    "Console refused for {}: too many consoles open",
                    grant.get().username());
            response.setStatusCode(HttpStatus.FORBIDDEN);
            return false;
        }
        var servlet = ((ServletServerHttpRequest) request).getServletRequest();
        attributes.put(SLOT, slot.get());
        // afterHandshake sees the request, not these attributes: it must find the slot to give it back.
        servlet.setAttribute(SLOT, slot.get());
        attributes.put(GRANT, grant.get());
        attributes.put(HTTP_SESSION, servlet.getSession(false));
        attributes.put(CLIENT_ADDRESS, servlet.getRemoteAddr());
        var connecting = farSide.apply(grant.get());
        if (connecting != null) {
            attributes.put(FAR_SIDE, connecting);
            servlet.setAttribute(FAR_SIDE, connecting);
        }
        return true;
    }

    private Optional<ConsoleGrant> check(ServerHttpRequest request) {
        if (!(request instanceof ServletServerHttpRequest servletRequest)) {
            return Optional.empty();
        }
        String origin = request.getHeaders().getOrigin();
        // A missing or "null" Origin is refused too: browsers always send one, so only a forged request lacks it.
        if (origin == null || origin.equals("null") || !WebUtils.isSameOrigin(request)) {
            log.warn("Console refused: Origin {} is not the portal's own", origin == null ? "missing" : origin);
            return Optional.empty();
        }
        var ticket = ticketOf(request.getHeaders());
        if (ticket.isEmpty()) {
            log.info("Console refused: no ticket offered");
            return Optional.empty();
        }
        HttpSession session = servletRequest.getServletRequest().getSession(false);
        var grant = tickets.redeem(ticket.get(), session == null ? null : session.getId());
        if (grant.isEmpty()) {
            return Optional.empty();
        }
        return grant.filter(found -> stillAllowed(found, session));
    }

    private boolean stillAllowed(ConsoleGrant grant, HttpSession session) {
        var signedIn = signedInUser(session);
        if (grant.kind() != kind) {
            log.warn("Console refused for {}: ticket for another kind of console", grant.username());
            return false;
        }
        if (signedIn == null || !grant.username().equals(signedIn.getName())) {
            log.warn("Console refused for {}: the session is no longer signed in as that user", grant.username());
            return false;
        }
        if (!access.consoleAccess(grant.username(), grant.vm()).allows(grant.interactive())) {
            log.warn("Console refused for {}: no access to {}", grant.username(), grant.vmName());
            return false;
        }
        return true;
    }

    /**
     * Who the HTTP session is signed in as, read from the session itself: the ticket is bound to it, and a
     * thread-bound security context would depend on which filter chain and holder strategy ran before.
     */
    private static Authentication signedInUser(HttpSession session) {
        try {
            return session != null
                            && session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY)
                                    instanceof SecurityContext context
                    ? context.getAuthentication()
                    : null;
        } catch (IllegalStateException invalidated) {
            return null;
        }
    }

    /** The ticket rides in the subprotocol list, so it never appears in a URL, a log line or a history. */
    private static Optional<String> ticketOf(HttpHeaders headers) {
        List<String> offered = headers.getOrEmpty(WebSocketHttpHeaders.SEC_WEBSOCKET_PROTOCOL);
        return offered.stream()
                .flatMap(value -> List.of(value.split(",")).stream())
                .map(String::strip)
                .filter(protocol -> protocol.startsWith(ConsoleTickets.SUBPROTOCOL_PREFIX))
                .map(protocol -> protocol.substring(ConsoleTickets.SUBPROTOCOL_PREFIX.length()))
                .findFirst();
    }

    @Override
    public void afterHandshake(
            ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler, Exception exception) {
        // Spring answers a bad upgrade (400, 426) without an exception: only a 101 opens the console.
        if (exception == null
                && ((ServletServerHttpResponse) response).getServletResponse().getStatus()
                        == HttpStatus.SWITCHING_PROTOCOLS.value()) {
            return;
        }
        var servlet = ((ServletServerHttpRequest) request).getServletRequest();
        if (servlet.getAttribute(SLOT) instanceof ConsoleSessions.Slot slot) {
            sessions.release(slot);
        }
        if (servlet.getAttribute(FAR_SIDE) instanceof CompletableFuture<?> connecting) {
            connecting.thenAccept(connection -> ScreenRelay.closeQuietly((Closeable) connection));
        }
    }
}
