package org.kvmportal.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * One-time console tickets: 256 random bits handed to the browser, of which only the SHA-256 is kept, valid
 * once and for a short time, bound to a {@link ConsoleGrant} (user, VM, HTTP session). A ticket never appears
 * in a log or a URL: the browser offers it as a WebSocket subprotocol.
 */
@Component
public class ConsoleTickets {

    /** The prefix of the subprotocol that carries a ticket: {@code kvmportal.ticket.<ticket>}. */
    public static final String SUBPROTOCOL_PREFIX = "kvmportal.ticket.";

    private static final Duration RATE_WINDOW = Duration.ofMinutes(1);

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    /** Tickets presented once, until they would have expired: a second presentation is a replay. */
    private final Map<String, Pending> spent = new ConcurrentHashMap<>();

    private final Map<String, ArrayDeque<Instant>> issuedByUser = new ConcurrentHashMap<>();
    private final Duration lifetime;
    private final int perMinute;
    private final Clock clock;

    @Autowired
    ConsoleTickets(
            @Value("${kvmportal.console.ticket-lifetime:30s}") Duration lifetime,
            @Value("${kvmportal.console.tickets-per-minute:20}") int perMinute) {
        this(lifetime, perMinute, Clock.systemUTC());
    }

    ConsoleTickets(Duration lifetime, int perMinute, Clock clock) {
        if (lifetime.compareTo(Duration.ofSeconds(30)) > 0) {
            throw new IllegalArgumentException("kvmportal.console.ticket-lifetime may be at most 30 s.");
        }
        this.lifetime = lifetime;
        this.perMinute = perMinute;
        this.clock = clock;
    }

    /** @throws ConsoleRefusedException when the user asked for too many tickets in the last minute */
    String issue(ConsoleGrant grant) {
        Instant now = clock.instant();
        rateLimit(grant.username(), now);
        pending.values().removeIf(ticket -> ticket.expires().isBefore(now));
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        pending.put(hash(ticket), new Pending(grant, now.plus(lifetime)));
        return ticket;
    }

    /**
     * Spends a ticket: it works once, before it expires, and only from the HTTP session it was issued to. Every
     * failure looks the same to the browser; the answer says which one it was, for the audit log. A spent ticket
     * is remembered (its hash) until it would have expired, so that presenting it again shows as a replay.
     */
    public Redemption redeem(String ticket, String httpSessionId) {
        Instant now = clock.instant();
        String hash = hash(ticket);
        var presented = pending.remove(hash);
        spent.values().removeIf(ticketOf -> ticketOf.expires().isBefore(now));
        if (presented == null) {
            var replayed = spent.get(hash);
            return replayed == null
                    ? new Redemption.Refused(HandshakeRefusal.UNKNOWN_TICKET, null)
                    : new Redemption.Refused(HandshakeRefusal.REPLAYED_TICKET, replayed.grant());
        }
        spent.put(hash, presented);
        if (presented.expires().isBefore(now)) {
            return new Redemption.Refused(HandshakeRefusal.EXPIRED_TICKET, presented.grant());
        }
        if (httpSessionId == null || !httpSessionId.equals(presented.grant().httpSessionId())) {
            return new Redemption.Refused(HandshakeRefusal.OTHER_SESSION, presented.grant());
        }
        return new Redemption.Admitted(presented.grant());
    }

    private void rateLimit(String username, Instant now) {
        var recent = issuedByUser.computeIfAbsent(username, user -> new ArrayDeque<>());
        synchronized (recent) {
            while (!recent.isEmpty() && recent.peekFirst().isBefore(now.minus(RATE_WINDOW))) {
                recent.removeFirst();
            }
            if (recent.size() >= perMinute) {
                throw new ConsoleRefusedException(
                        "Too many console connections in a short time. Wait a minute, then try again.");
            }
            recent.addLast(now);
        }
    }

    private static String hash(String ticket) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(ticket.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private record Pending(ConsoleGrant grant, Instant expires) {}
}
