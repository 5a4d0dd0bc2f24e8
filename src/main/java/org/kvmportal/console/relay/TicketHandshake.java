package org.kvmportal.console.relay;

import jakarta.servlet.http.HttpSession;
import java.io.Closeable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.kvmportal.audit.Actor;
import org.kvmportal.console.ConsoleGrant;
import org.kvmportal.console.ConsoleKind;
import org.kvmportal.console.ConsoleRefusals;
import org.kvmportal.console.ConsoleSessions;
import org.kvmportal.console.ConsoleTickets;
import org.kvmportal.console.HandshakeRefusal;
import org.kvmportal.console.Redemption;
import org.kvmportal.vm.VmAccessPolicy;
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

    private final ConsoleKind kind;
    private final ConsoleTickets tickets;
    private final ConsoleSessions sessions;
    private final ConsoleRefusals refusals;
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
            ConsoleRefusals refusals,
            VmAccessPolicy access,
            Function<ConsoleGrant, CompletableFuture<? extends Closeable>> farSide) {
        this.kind = kind;
        this.tickets = tickets;
        this.sessions = sessions;
        this.refusals = refusals;
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
        if (!(request instanceof ServletServerHttpRequest servletRequest)) {
            response.setStatusCode(HttpStatus.FORBIDDEN); // not a servlet container: nothing to check against
            return false;
        }
        var servlet = servletRequest.getServletRequest();
        HttpSession session = servlet.getSession(false);
        var signedIn = signedInUser(session);
        var verdict = check(request, session, signedIn);
        if (verdict instanceof Redemption.Refused refused) {
            return refuse(response, refused, signedIn, servlet.getRemoteAddr(), note(request, refused, signedIn));
        }
        var grant = ((Redemption.Admitted) verdict).grant();
        var slot = sessions.reserve(grant.username());
        if (slot.isEmpty()) {
            var tooMany = new Redemption.Refused(HandshakeRefusal.TOO_MANY_CONSOLES, grant);
            return refuse(response, tooMany, signedIn, servlet.getRemoteAddr(), null);
        }
        attributes.put(SLOT, slot.get());
        // afterHandshake sees the request, not these attributes: it must find the slot to give it back.
        servlet.setAttribute(SLOT, slot.get());
        attributes.put(GRANT, grant);
        attributes.put(HTTP_SESSION, session);
        attributes.put(CLIENT_ADDRESS, servlet.getRemoteAddr());
        var connecting = farSide.apply(grant);
        if (connecting != null) {
            attributes.put(FAR_SIDE, connecting);
            servlet.setAttribute(FAR_SIDE, connecting);
        }
        return true;
    }

    /** Answers 403, the same for every reason, and audits which reason it was. */
    private boolean refuse(
            ServerHttpResponse response,
            Redemption.Refused refused,
            Authentication signedIn,
            String client,
            String note) {
        refusals.refused(refused.reason(), actor(refused.claimed(), signedIn, client), refused.claimed(), note);
        response.setStatusCode(HttpStatus.FORBIDDEN);
        return false;
    }

    /**
     * Who tried: the ticket's user, with the session's roles when it is signed in as them; anonymous under the
     * ticket's name when it is not (a ticket taken elsewhere names its owner, not who presented it); without a
     * ticket that names anyone, the session's user, else anonymous.
     */
    private static Actor actor(ConsoleGrant claimed, Authentication signedIn, String client) {
        if (claimed == null) {
            return Actor.of(signedIn, client);
        }
        boolean sameUser = signedIn != null && claimed.username().equals(signedIn.getName());
        return sameUser ? Actor.of(signedIn, client) : Actor.anonymous(claimed.username(), client);
    }

    /** What the audit entry adds to the reason: the Origin refused, or who the session is signed in as instead. */
    private static String note(ServerHttpRequest request, Redemption.Refused refused, Authentication signedIn) {
        if (refused.reason() == HandshakeRefusal.FOREIGN_ORIGIN) {
            String origin = request.getHeaders().getOrigin();
            return "Origin " + (origin == null ? "missing" : abbreviated(origin));
        }
        if (refused.claimed() != null
                && (signedIn == null || !refused.claimed().username().equals(signedIn.getName()))) {
            return signedIn == null
                    ? "the session is not signed in"
                    : "the session is signed in as " + signedIn.getName();
        }
        return null;
    }

    /** A header a stranger chose, kept short in the log. */
    private static String abbreviated(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "…";
    }

    private Redemption check(ServerHttpRequest request, HttpSession session, Authentication signedIn) {
        String origin = request.getHeaders().getOrigin();
        // A missing or "null" Origin is refused too: browsers always send one, so only a forged request lacks it.
        if (origin == null || origin.equals("null") || !WebUtils.isSameOrigin(request)) {
            return new Redemption.Refused(HandshakeRefusal.FOREIGN_ORIGIN, null);
        }
        var ticket = ticketOf(request.getHeaders());
        if (ticket.isEmpty()) {
            return new Redemption.Refused(HandshakeRefusal.NO_TICKET, null);
        }
        var redeemed = tickets.redeem(ticket.get(), session == null ? null : session.getId());
        if (!(redeemed instanceof Redemption.Admitted admitted)) {
            return redeemed;
        }
        var grant = admitted.grant();
        if (grant.kind() != kind) {
            return new Redemption.Refused(HandshakeRefusal.WRONG_KIND, grant);
        }
        if (signedIn == null || !grant.username().equals(signedIn.getName())) {
            return new Redemption.Refused(HandshakeRefusal.SIGNED_OUT, grant);
        }
        if (!access.consoleAccess(grant.username(), grant.vm()).allows(grant.interactive())) {
            return new Redemption.Refused(HandshakeRefusal.NO_ACCESS, grant);
        }
        return admitted;
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
