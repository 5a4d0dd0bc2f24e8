package org.kvmportal.console;

import jakarta.annotation.PreDestroy;
import jakarta.servlet.http.HttpSession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.kvmportal.audit.Actor;
import org.kvmportal.audit.AuditEntry;
import org.kvmportal.audit.AuditLog;
import org.kvmportal.base.Listeners;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.vm.ConsoleAccess;
import org.kvmportal.vm.VmAccessPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.security.web.session.HttpSessionDestroyedEvent;
import org.springframework.stereotype.Component;

/**
 * Every open console: enforces the per-user limit, tells a VM's viewers about each other, audits each
 * session, and re-checks every couple of seconds that its user still may use it and its HTTP session still
 * lives, so that signing out, an expired session or withdrawn access ends it within {@link #RECHECK_EVERY}.
 */
@Component
public class ConsoleSessions {

    static final Duration RECHECK_EVERY = Duration.ofSeconds(2);

    /** How long a handshake's slot waits for its console to connect: a socket that never opens frees it. */
    private static final Duration SLOT_HOLD = Duration.ofSeconds(10);

    private static final int AUDIT_QUEUE = 10_000;

    private static final Logger log = LoggerFactory.getLogger(ConsoleSessions.class);

    private final Map<OpenConsole, HttpSession> open = new ConcurrentHashMap<>();
    private final Map<Slot, Instant> reserved = new ConcurrentHashMap<>();
    private final Listeners viewerChanges = new Listeners();
    private final VmAccessPolicy access;
    private final AuditLog audit;
    private final int maxPerUser;
    private final Clock clock = Clock.systemUTC();
    private final ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("console-watch").daemon().factory());
    /**
     * Writes the consoles' audit entries, in order, off the path of the console's first frame: a database
     * write took a third of the time from connecting to the first byte (docs/benchmarks.md). Each entry's
     * time is taken when it happens; when the queue is full or the portal stopping, the caller writes it.
     */
    private final ExecutorService auditWriter = new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(AUDIT_QUEUE),
            Thread.ofPlatform().name("console-audit").daemon().factory(),
            (entry, writer) -> entry.run());

    ConsoleSessions(
            VmAccessPolicy access,
            AuditLog audit,
            @Value("${kvmportal.console.max-per-user:4}") int maxPerUser,
            @Value("${kvmportal.console.ping-interval:25s}") Duration pingEvery) {
        this.access = access;
        this.audit = audit;
        this.maxPerUser = maxPerUser;
        watch.scheduleWithFixedDelay(
                this::recheck, RECHECK_EVERY.toMillis(), RECHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        // Reverse proxies commonly drop WebSockets silent for 60 s; a ping well within that keeps them.
        watch.scheduleWithFixedDelay(
                () -> keepAlive(pingEvery), pingEvery.toMillis(), pingEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether the user may open one more console now. */
    public boolean belowLimit(String username) {
        return countOf(username) < maxPerUser;
    }

    public int maxPerUser() {
        return maxPerUser;
    }

    /**
     * Takes one of the user's console slots at the handshake, before the browser learns it may connect, so
     * that two handshakes racing for the last slot cannot both pass it; empty when the user is at the limit.
     */
    public synchronized Optional<Slot> reserve(String username) {
        if (!belowLimit(username)) {
            return Optional.empty();
        }
        var slot = new Slot(username);
        reserved.put(slot, clock.instant().plus(SLOT_HOLD));
        return Optional.of(slot);
    }

    /** Gives back a slot whose console will not connect after all. */
    public void release(Slot slot) {
        reserved.remove(slot);
    }

    /**
     * Adds a console that just connected in the slot its handshake reserved; false (and nothing registered)
     * when the slot lapsed meanwhile and the user has reached the limit since.
     */
    public synchronized boolean register(OpenConsole console, Slot slot, HttpSession session) {
        if (reserved.remove(slot) == null && !belowLimit(console.grant().username())) {
            return false;
        }
        open.put(console, session);
        var grant = console.grant();
        record(console, "CONSOLE_OPENED", "SUCCESS", describe(grant));
        viewerChanges.notifyListeners();
        return true;
    }

    /** Consoles the user has open or is opening (a handshake passed, the socket not yet connected). */
    public int countOf(String username) {
        var now = clock.instant();
        reserved.values().removeIf(until -> until.isBefore(now));
        long opening = reserved.keySet().stream()
                .filter(slot -> slot.username.equals(username))
                .count();
        long opened = open.keySet().stream()
                .filter(console -> console.grant().username().equals(username))
                .count();
        return (int) (opening + opened);
    }

    /** Removes a console that ended, and audits how long it ran, the bytes each way and why it ended. */
    public void unregister(OpenConsole console, CloseReason reason) {
        if (open.remove(console) == null) {
            return;
        }
        long seconds = Duration.between(console.openedAt(), clock.instant()).toSeconds();
        record(
                console,
                "CONSOLE_CLOSED",
                "SUCCESS",
                describe(console.grant()) + "; " + seconds + " s; " + console.bytesToBrowser() + " bytes to browser, "
                        + console.bytesFromBrowser() + " from browser; " + reason.text());
        viewerChanges.notifyListeners();
    }

    /** Who has a console of this VM open, longest first. */
    public List<ConsoleViewer> viewers(DomainRef vm) {
        return open.keySet().stream()
                .filter(console -> console.grant().vm().equals(vm))
                .map(console -> new ConsoleViewer(
                        console.grant().username(),
                        console.grant().kind(),
                        console.grant().interactive(),
                        console.openedAt()))
                .sorted(Comparator.comparing(ConsoleViewer::since))
                .toList();
    }

    /** @return call it to stop listening */
    public Runnable onViewersChanged(Runnable callback) {
        return viewerChanges.subscribe(callback);
    }

    @EventListener
    void sessionDestroyed(HttpSessionDestroyedEvent event) {
        String id = event.getId();
        open.keySet().stream()
                .filter(console -> console.grant().httpSessionId().equals(id))
                .forEach(console -> console.close(CloseReason.SESSION_ENDED));
    }

    @PreDestroy
    void closeAll() throws InterruptedException {
        watch.shutdownNow();
        open.keySet().forEach(console -> console.close(CloseReason.PORTAL_STOPPING));
        auditWriter.shutdown();
        if (!auditWriter.awaitTermination(10, TimeUnit.SECONDS)) {
            log.error("Console audit entries still unwritten when the portal stopped");
        }
    }

    private void recheck() {
        try {
            // One answer per user and VM per round: many consoles of one class on one VM cost one lookup.
            var answers = new HashMap<List<Object>, ConsoleAccess>();
            open.forEach((console, session) -> {
                var grant = console.grant();
                var answer = answers.computeIfAbsent(
                        List.of(grant.username(), grant.vm()),
                        key -> access.consoleAccess(grant.username(), grant.vm()));
                if (!alive(session)) {
                    console.close(CloseReason.SESSION_ENDED);
                } else if (!answer.allows(grant.interactive())) {
                    console.close(CloseReason.ACCESS_WITHDRAWN);
                }
            });
        } catch (RuntimeException e) {
            log.warn("Could not re-check open consoles", e);
        }
    }

    /** Invalidated, or past its inactivity limit though the container has not noticed yet. */
    private boolean alive(HttpSession session) {
        try {
            int maxIdleSeconds = session.getMaxInactiveInterval();
            return maxIdleSeconds <= 0 || clock.millis() - session.getLastAccessedTime() < maxIdleSeconds * 1000L;
        } catch (IllegalStateException invalidated) {
            return false;
        }
    }

    private void keepAlive(Duration pingEvery) {
        try {
            open.keySet().forEach(console -> console.keepAlive(pingEvery.dividedBy(2)));
        } catch (RuntimeException e) {
            // An escaping exception would cancel the schedule: no console would be pinged again.
            log.warn("Could not ping open consoles", e);
        }
    }

    private void record(OpenConsole console, String action, String result, String detail) {
        var grant = console.grant();
        // The roles from the ticket, the address from the console's own handshake: both known before this
        // entry goes to the audit thread.
        var actor = new Actor(grant.username(), grant.role(), console.clientAddress());
        var entry = AuditEntry.of(actor, action, target(grant), grant.vm(), null, result, detail)
                .at(clock.instant());
        auditWriter.execute(() -> audit.record(entry));
    }

    /** How console entries name their VM. */
    static String target(ConsoleGrant grant) {
        return grant.vm().host() + "/" + grant.vmName() + " (" + grant.vm().uuid() + ")";
    }

    private static String describe(ConsoleGrant grant) {
        return (grant.kind() == ConsoleKind.SCREEN ? "screen" : "serial")
                + (grant.interactive() ? ", interactive" : ", view-only");
    }

    /** One console's place within its user's limit, held from the handshake until the console connects. */
    public static final class Slot {
        private final String username;

        private Slot(String username) {
            this.username = username;
        }
    }
}
