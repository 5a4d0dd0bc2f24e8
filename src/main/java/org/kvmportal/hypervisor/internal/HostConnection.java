package org.kvmportal.hypervisor.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.DomainStateChanged;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.HostState;
import org.kvmportal.hypervisor.HostStateChanged;
import org.kvmportal.hypervisor.HostStatus;
import org.kvmportal.hypervisor.HypervisorException;
import org.kvmportal.hypervisor.PowerState;
import org.kvmportal.hypervisor.SerialConsole;
import org.libvirt.Domain;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.event.ConnectionCloseReason;
import org.libvirt.event.DomainEvent;
import org.libvirt.event.DomainEventType;
import org.libvirt.event.LifecycleListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configured host: its libvirt connection, the state of that connection, and its domain inventory.
 *
 * <p>The connection is opened and, when lost, reopened with backoff; every (re)connect registers the close
 * callback and lifecycle listener again and reloads the inventory, so callers see one continuous host.
 */
final class HostConnection {

    static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
    static final Duration LIFECYCLE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration RESYNC_INTERVAL = Duration.ofSeconds(30);
    private static final long[] BACKOFF_SECONDS = {1, 2, 4, 8, 10};
    /** Seconds between keepalive probes, and probes missed before libvirt declares the connection dead. */
    private static final int KEEPALIVE_INTERVAL = 5;

    private static final int KEEPALIVE_COUNT = 3;

    private static final Logger log = LoggerFactory.getLogger(HostConnection.class);

    private final String name;
    private final String uri;
    private final boolean simulated;
    private final HostPool pool;
    private final ScheduledExecutorService scheduler;
    private final Consumer<Object> events;
    private final Clock clock;
    private final DomainInventory inventory;
    private final LifecycleListener lifecycleListener = this::onLifecycleEvent;
    /** Open serial consoles: each holds the connection it was opened on until its stream is freed. */
    private final Set<SerialStream> consoles = ConcurrentHashMap.newKeySet();

    private volatile PortalConnect connect;
    private volatile HostStatus status;
    private volatile boolean stopped;
    private final AtomicBoolean attemptInFlight = new AtomicBoolean();
    private int failedAttempts;

    HostConnection(String name, String uri, ScheduledExecutorService scheduler, Consumer<Object> events, Clock clock) {
        this.name = name;
        this.uri = uri;
        this.simulated = uri.startsWith("test:");
        this.pool = new HostPool(name);
        this.scheduler = scheduler;
        this.events = events;
        this.clock = clock;
        this.inventory = new DomainInventory(name, events);
        this.status = new HostStatus(name, uri, HostState.CONNECTING, "Connecting", clock.instant(), simulated);
    }

    String name() {
        return name;
    }

    HostStatus status() {
        return status;
    }

    void start() {
        scheduler.execute(this::attemptConnect);
        scheduler.scheduleWithFixedDelay(
                this::resync, RESYNC_INTERVAL.toSeconds(), RESYNC_INTERVAL.toSeconds(), TimeUnit.SECONDS);
    }

    /** Closes the connection for good and forgets the inventory (each domain is reported removed). */
    void stop() {
        stopped = true;
        var current = connect;
        connect = null;
        endConsoles("the portal no longer manages host " + name);
        if (current != null) {
            current.retire(this::closeQuietly);
        }
        pool.shutdown();
        inventory.clear();
    }

    List<DomainSummary> domains() {
        return inventory.all(status.state() == HostState.CONNECTED);
    }

    Optional<DomainSummary> domain(UUID uuid) {
        return inventory.find(uuid, status.state() == HostState.CONNECTED);
    }

    /** Runs {@code call} on this host's pool with the current connection; fails fast when disconnected. */
    <T> CompletableFuture<T> call(String action, Duration timeout, HostCall<T> call) {
        var current = connect;
        if (current == null) {
            return CompletableFuture.failedFuture(new HypervisorException(
                    "Could not " + action + ": host " + name + " is not connected (" + status.reason() + ")."));
        }
        return pool.submit(action, timeout, () -> {
            if (!current.acquire()) {
                throw new HypervisorException(
                        "Could not " + action + ": host " + name + " is not connected (" + status.reason() + ").");
            }
            try {
                return call.apply(current);
            } catch (LibvirtException e) {
                checkAlive(current, e);
                throw LibvirtErrors.translate(action, e);
            } finally {
                current.release();
            }
        });
    }

    /**
     * Opens a domain's serial console on this host's pool. The console holds the connection until its stream
     * is freed, and ends when the connection is lost.
     */
    CompletableFuture<SerialConsole> openSerialConsole(DomainRef ref, SerialConsole.Listener listener) {
        String domainName = displayName(ref.uuid());
        String action = "open the serial console of " + domainName;
        // When the caller's wait times out, the open may still finish later on the pool: whichever of the two
        // comes second closes such a console, so that it never holds the guest's only console unseen.
        var handoff = new AtomicReference<Object>();
        CompletableFuture<SerialConsole> opening = call(action, READ_TIMEOUT, c -> {
            if (!c.acquire()) {
                throw new HypervisorException(
                        "Could not " + action + ": host " + name + " is not connected (" + status.reason() + ").");
            }
            SerialStream console;
            try {
                console = SerialStream.open(c, ref.uuid(), domainName, listener, this::runTeardown, freed -> {
                    consoles.remove(freed);
                    c.release();
                });
            } catch (RuntimeException e) {
                c.release();
                throw e;
            }
            consoles.add(console);
            if (connect != c) {
                console.end(lostMessage(status.reason()), false); // lost while opening: endConsoles missed it
            }
            if (!handoff.compareAndSet(null, console)) {
                console.close();
            }
            return console;
        });
        opening.whenComplete((console, error) -> {
            if (error != null && handoff.getAndSet(error) instanceof SerialStream late) {
                late.close();
            }
        });
        return opening;
    }

    /** The second step of a console's teardown (a round trip to the daemon): on the pool, like other calls. */
    private void runTeardown(Runnable teardown) {
        if (!pool.execute(teardown)) {
            teardown.run(); // only when the pool is full or the host was removed meanwhile
        }
    }

    private void endConsoles(String why) {
        consoles.forEach(console -> console.end(lostMessage(why), false));
    }

    private static String lostMessage(String why) {
        return "The serial console closed: host connection lost (" + why + ").";
    }

    /** Runs a call on one domain, then refreshes that domain's inventory entry from libvirt. */
    CompletableFuture<Void> onDomain(DomainRef ref, String verb, Duration timeout, DomainCall call) {
        String action = verb + " " + displayName(ref.uuid());
        return call(action, timeout, c -> {
            Domain domain = c.domainLookupByUUID(ref.uuid());
            try {
                call.apply(domain);
            } finally {
                domain.free();
            }
            inventory.refresh(c, ref.uuid());
            return null;
        });
    }

    private String displayName(UUID uuid) {
        return inventory.find(uuid, true).map(DomainSummary::name).orElse(uuid.toString());
    }

    private void attemptConnect() {
        if (stopped) {
            return;
        }
        // A hung host (say, a stopped daemon) keeps an attempt blocked past its timeout: never start a second
        // one beside it, or hung attempts would fill the pool and, when the host wakes, all connect at once.
        if (!attemptInFlight.compareAndSet(false, true)) {
            scheduleReconnect();
            return;
        }
        pool.submit("connect to host " + name, CONNECT_TIMEOUT, () -> {
                    try {
                        openConnection();
                    } finally {
                        attemptInFlight.set(false);
                    }
                    return null;
                })
                .whenComplete((ignored, error) -> {
                    if (error != null) {
                        failedAttempts++;
                        setStatus(HostState.DOWN, error.getMessage());
                        scheduleReconnect();
                    }
                });
    }

    private void openConnection() {
        PortalConnect opened = null;
        try {
            opened = new PortalConnect(uri);
            enableKeepAlive(opened);
            opened.registerCloseListener(this::onClosed);
            opened.addLifecycleListener(lifecycleListener);
            inventory.reload(opened);
            synchronized (this) {
                if (stopped || connect != null) {
                    closeQuietly(opened);
                    return;
                }
                connect = opened;
            }
            failedAttempts = 0;
            setStatus(HostState.CONNECTED, "");
            log.info("Connected to host {} ({})", name, uri);
        } catch (LibvirtException e) {
            if (opened != null) {
                closeQuietly(opened);
            }
            throw LibvirtErrors.translate("connect to host " + name, e);
        }
    }

    private void enableKeepAlive(PortalConnect opened) {
        if (simulated) {
            return; // the in-process test driver has no wire to keep alive
        }
        try {
            opened.setKeepAlive(KEEPALIVE_INTERVAL, KEEPALIVE_COUNT);
        } catch (LibvirtException e) {
            log.warn(
                    "Host {}: keepalive not available ({}); a dead host is noticed only by failing calls",
                    name,
                    e.getMessage());
        }
    }

    /** libvirt's close callback: runs on the event loop thread, so it only records and schedules. */
    private void onClosed(org.libvirt.Connect closed, ConnectionCloseReason reason) {
        var current = connect;
        if (stopped || current == null || closed != current) {
            return;
        }
        connectionLost(current, describe(reason));
    }

    private void connectionLost(PortalConnect lost, String reason) {
        synchronized (this) {
            if (connect != lost) {
                return;
            }
            connect = null;
        }
        log.warn("Lost connection to host {}: {}", name, reason);
        setStatus(HostState.RECONNECTING, reason);
        endConsoles(reason);
        // Not on the event loop thread that reported the loss: closing from inside its callback can deadlock.
        scheduler.execute(() -> lost.retire(this::closeQuietly));
        scheduleReconnect();
    }

    private void checkAlive(PortalConnect current, LibvirtException e) {
        var code = e.getError() == null ? null : e.getError().getCode();
        if (code != ErrorNumber.VIR_ERR_SYSTEM_ERROR
                && code != ErrorNumber.VIR_ERR_RPC
                && code != ErrorNumber.VIR_ERR_NO_CONNECT
                && code != ErrorNumber.VIR_ERR_INVALID_CONN) {
            return;
        }
        boolean alive;
        try {
            alive = current.isAlive();
        } catch (LibvirtException ignored) {
            alive = false;
        }
        if (!alive) {
            connectionLost(current, "the connection broke during a call");
        }
    }

    private void scheduleReconnect() {
        if (stopped) {
            return;
        }
        long delay = BACKOFF_SECONDS[Math.min(failedAttempts, BACKOFF_SECONDS.length - 1)];
        scheduler.schedule(this::attemptConnect, delay, TimeUnit.SECONDS);
    }

    private void resync() {
        var current = connect;
        if (current == null || stopped) {
            return;
        }
        call("refresh the inventory of host " + name, READ_TIMEOUT, c -> {
                    inventory.reload(c);
                    return null;
                })
                .exceptionally(error -> {
                    log.debug("Inventory refresh of host {} failed: {}", name, error.getMessage());
                    return null;
                });
    }

    /** Lifecycle events arrive on the event loop thread: hand the libvirt calls to the host's pool. */
    private int onLifecycleEvent(Domain domain, DomainEvent event) {
        UUID uuid;
        try {
            uuid = UUID.fromString(domain.getUUIDString());
        } catch (LibvirtException e) {
            return 0;
        }
        if (event.getType() == DomainEventType.UNDEFINED) {
            inventory.remove(uuid);
            return 0;
        }
        if (event.getType() == DomainEventType.STARTED) {
            try {
                inventory.started(uuid, domain.getID(), clock.instant());
            } catch (LibvirtException e) {
                // no id, no uptime: the VM shows "unknown" for it
            }
        }
        call("refresh a virtual machine on host " + name, READ_TIMEOUT, c -> {
                    inventory.refresh(c, uuid);
                    return null;
                })
                .exceptionally(error -> {
                    log.debug(
                            "Refresh after {} event on host {} failed: {}", event.getType(), name, error.getMessage());
                    return null;
                });
        return 0;
    }

    private synchronized void setStatus(HostState state, String reason) {
        var previous = status;
        if (previous.state() == state && previous.reason().equals(reason)) {
            return;
        }
        status = new HostStatus(name, uri, state, reason, clock.instant(), simulated);
        events.accept(new HostStateChanged(status));
        if (state != HostState.CONNECTED) {
            inventory
                    .all(false)
                    .forEach(domain -> events.accept(new DomainStateChanged(domain.withState(PowerState.UNKNOWN))));
        }
    }

    private static String describe(ConnectionCloseReason reason) {
        return switch (reason) {
            case EOF -> "the libvirt daemon closed the connection (stopped or restarted?)";
            case KEEPALIVE -> "the host stopped answering keepalive probes";
            case ERROR -> "a network or protocol error broke the connection";
            case CLIENT, UNKNOWN -> "the connection was closed";
        };
    }

    private void closeQuietly(PortalConnect c) {
        try {
            c.removeLifecycleListener(lifecycleListener);
        } catch (LibvirtException | RuntimeException ignored) {
            // the connection is dead already: nothing left to unregister
        }
        try {
            c.unregisterCloseListener();
        } catch (LibvirtException | RuntimeException ignored) {
            // as above
        }
        try {
            c.close();
        } catch (LibvirtException | RuntimeException e) {
            log.debug("Closing the connection to host {} failed: {}", name, e.getMessage());
        }
    }

    /** A call on one domain; the lookup and the refresh around it are done by {@link #onDomain}. */
    @FunctionalInterface
    interface DomainCall {
        void apply(Domain domain) throws LibvirtException;
    }
}
