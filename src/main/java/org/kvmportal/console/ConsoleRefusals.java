package org.kvmportal.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kvmportal.audit.Actor;
import org.kvmportal.audit.AuditEntry;
import org.kvmportal.audit.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Audits refused console handshakes ({@code CONSOLE_REFUSED}: who, which VM, why, from where), at most
 * {@value #PER_ADDRESS} per client address and {@value #IN_TOTAL} in all per minute, so that a flood of
 * handshakes cannot fill the audit log (or the server log, which gets the same lines). What goes over is counted,
 * and once the address's minute is over one {@code CONSOLE_REFUSED_SUPPRESSED} entry says how many were left
 * out. Addresses are tracked up to {@value #MAX_ADDRESSES}; beyond that, new ones share one budget ("*").
 */
@Component
public class ConsoleRefusals {

    static final int PER_ADDRESS = 10;
    static final int IN_TOTAL = 200;
    static final int MAX_ADDRESSES = 10_000;
    static final Duration WINDOW = Duration.ofMinutes(1);
    /** The client of refusals from addresses past {@link #MAX_ADDRESSES}, which share one budget. */
    static final String MANY_ADDRESSES = "*";

    private static final Logger log = LoggerFactory.getLogger(ConsoleRefusals.class);

    private final AuditLog audit;
    private final Clock clock;
    /** Guarded by this; small, short critical sections only (no I/O). */
    private final Map<String, Window> windows = new HashMap<>();

    private Window total;

    @Autowired
    ConsoleRefusals(AuditLog audit) {
        this(audit, Clock.systemUTC());
    }

    ConsoleRefusals(AuditLog audit, Clock clock) {
        this.audit = audit;
        this.clock = clock;
        this.total = new Window(clock.instant());
    }

    /**
     * A handshake was refused.
     *
     * @param actor who tried: the ticket's user (with their roles if the session is signed in as them), else the
     *     session's user, else anonymous; and the handshake's client address
     * @param claimed the grant the ticket named, if any: which VM
     * @param note more about this refusal (an Origin, another signed-in user), or null
     */
    public void refused(HandshakeRefusal reason, Actor actor, ConsoleGrant claimed, String note) {
        Instant now = clock.instant();
        List<AuditEntry> entries = new ArrayList<>();
        boolean write;
        synchronized (this) {
            closeWindows(now, entries);
            String key = actor.client() == null ? MANY_ADDRESSES : actor.client();
            if (!windows.containsKey(key) && windows.size() >= MAX_ADDRESSES) {
                key = MANY_ADDRESSES;
            }
            var window = windows.computeIfAbsent(key, address -> new Window(now));
            if (!total.start.plus(WINDOW).isAfter(now)) {
                total = new Window(now);
            }
            write = window.written < PER_ADDRESS && total.written < IN_TOTAL;
            if (write) {
                window.written++;
                total.written++;
            } else {
                window.suppressed++;
            }
        }
        if (write) {
            String detail = reason.name() + ": " + reason.text() + (note == null ? "" : "; " + note);
            log.info("Console refused for {} from {}: {}", actor.username(), actor.client(), detail);
            entries.add(AuditEntry.of(
                            actor,
                            "CONSOLE_REFUSED",
                            claimed == null ? "console" : ConsoleSessions.target(claimed),
                            claimed == null ? null : claimed.vm(),
                            null,
                            "REFUSED",
                            detail)
                    .at(now));
        }
        entries.forEach(audit::record);
    }

    /** Writes the summaries of minutes that ended quietly, with no refusal since to notice them. */
    @Scheduled(initialDelayString = "PT10S", fixedDelayString = "PT10S")
    void closeQuietWindows() {
        List<AuditEntry> entries = new ArrayList<>();
        synchronized (this) {
            closeWindows(clock.instant(), entries);
        }
        entries.forEach(audit::record);
    }

    /** Ends the minutes that are over, adding a summary entry for each that left refusals out. */
    private void closeWindows(Instant now, List<AuditEntry> summaries) {
        var ended = windows.entrySet().iterator();
        while (ended.hasNext()) {
            var next = ended.next();
            var window = next.getValue();
            if (window.start.plus(WINDOW).isAfter(now)) {
                continue;
            }
            ended.remove();
            if (window.suppressed > 0) {
                String client = next.getKey();
                String detail = window.suppressed + " more refused console handshakes from "
                        + (client.equals(MANY_ADDRESSES) ? "other addresses" : client) + " between " + window.start
                        + " and " + window.start.plus(WINDOW) + " not recorded one by one";
                log.warn("{}", detail);
                summaries.add(AuditEntry.of(
                                Actor.anonymous(null, client),
                                "CONSOLE_REFUSED_SUPPRESSED",
                                "console",
                                null,
                                null,
                                "REFUSED",
                                detail)
                        .at(now));
            }
        }
    }

    /** One address's (or all addresses') refusals in a minute: those recorded and those left out. */
    private static final class Window {
        private final Instant start;
        private int written;
        private int suppressed;

        Window(Instant start) {
            this.start = start;
        }
    }
}
