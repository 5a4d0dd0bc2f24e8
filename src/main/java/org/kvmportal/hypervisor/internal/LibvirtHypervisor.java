package org.kvmportal.hypervisor.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.kvmportal.hypervisor.DomainDetails;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.DomainStats;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.HostDefinition;
import org.kvmportal.hypervisor.HostFacts;
import org.kvmportal.hypervisor.HostRemoved;
import org.kvmportal.hypervisor.HostStatus;
import org.kvmportal.hypervisor.Hypervisor;
import org.kvmportal.hypervisor.HypervisorException;
import org.kvmportal.hypervisor.Screenshot;
import org.kvmportal.hypervisor.SerialConsole;
import org.kvmportal.hypervisor.VncEndpoint;
import org.libvirt.LibvirtException;

/** {@link Hypervisor} over libvirt-java, one {@link HostConnection} per configured host. */
final class LibvirtHypervisor implements Hypervisor, AutoCloseable {

    /** libvirt's {@code VIR_DOMAIN_XML_SECURE}: include passwords, needed so a redefine keeps them. */
    private static final int XML_SECURE = 1;
    /** libvirt's {@code VIR_DOMAIN_XML_INACTIVE}: the persistent definition, not the running one. */
    private static final int XML_INACTIVE = 2;

    /** libvirt's {@code VIR_DOMAIN_METADATA_DESCRIPTION} and {@code VIR_DOMAIN_AFFECT_LIVE}. */
    private static final int METADATA_DESCRIPTION = 0;

    private static final int AFFECT_LIVE = 1;

    /** libvirt's {@code VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE}. */
    private static final int ADDRESSES_FROM_LEASES = 0;

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(15);

    /** Replaced, never changed in place: readers on any thread see a consistent set without locking. */
    private volatile Map<String, HostConnection> hosts = Map.of();

    private final ScheduledExecutorService scheduler;
    private final Consumer<Object> events;
    private final Clock clock;
    private final HostPool probes = new HostPool("probe");
    /**
     * Decodes and scales screenshots, so that this CPU work never holds a host's one libvirt thread. When it
     * is full (or shut down), the calling host thread does the work itself: that slows further screenshots
     * instead of queueing them, and never leaves a future without an answer.
     */
    private final ThreadPoolExecutor images = new ThreadPoolExecutor(
            1,
            2,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(16),
            runnable -> {
                var thread = new Thread(runnable, "screenshot-images");
                thread.setDaemon(true);
                return thread;
            },
            (work, pool) -> work.run());

    /**
     * @param hosts name to libvirt URI, in display order
     * @param events receives the hypervisor events ({@code DomainStateChanged} and friends), from pool threads
     */
    LibvirtHypervisor(Map<String, String> hosts, Consumer<Object> events, Clock clock) {
        LibvirtEventLoop.ensureStarted();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            var thread = new Thread(runnable, "libvirt-scheduler");
            thread.setDaemon(true);
            return thread;
        });
        this.events = events;
        this.clock = clock;
        hosts.forEach(this::addHost);
    }

    @Override
    public HostDefinition defaultHost() {
        return HypervisorProperties.defaultHost();
    }

    @Override
    public synchronized void addHost(String name, String uri) {
        if (hosts.containsKey(name)) {
            throw new HypervisorException("A host named " + name + " is already managed.");
        }
        var connection = new HostConnection(name, uri, scheduler, events, clock);
        var updated = new LinkedHashMap<>(hosts);
        updated.put(name, connection);
        hosts = Collections.unmodifiableMap(updated);
        connection.start();
    }

    @Override
    public synchronized void removeHost(String name) {
        var connection = hosts.get(name);
        if (connection == null) {
            return;
        }
        var updated = new LinkedHashMap<>(hosts);
        updated.remove(name);
        hosts = Collections.unmodifiableMap(updated);
        connection.stop();
        events.accept(new HostRemoved(name));
    }

    @Override
    public CompletableFuture<HostFacts> probe(String uri) {
        return probes.submit("connect to " + uri, PROBE_TIMEOUT, () -> {
            PortalConnect connect = null;
            try {
                connect = new PortalConnect(uri);
                return HostFactsReader.read(connect);
            } catch (LibvirtException e) {
                throw LibvirtErrors.translate("connect to " + uri, e);
            } finally {
                if (connect != null) {
                    try {
                        connect.close();
                    } catch (LibvirtException ignored) {
                        // the facts are read; a failing close changes nothing for the caller
                    }
                }
            }
        });
    }

    @Override
    public CompletableFuture<HostFacts> facts(String host) {
        return onHost(
                host,
                connection -> connection.call(
                        "read the facts of host " + host, HostConnection.READ_TIMEOUT, HostFactsReader::read));
    }

    @Override
    public List<HostStatus> hosts() {
        return hosts.values().stream().map(HostConnection::status).toList();
    }

    @Override
    public List<DomainSummary> domains() {
        return hosts.values().stream().flatMap(host -> host.domains().stream()).toList();
    }

    @Override
    public Optional<DomainSummary> domain(DomainRef ref) {
        var host = hosts.get(ref.host());
        return host == null ? Optional.empty() : host.domain(ref.uuid());
    }

    @Override
    public CompletableFuture<Void> start(DomainRef ref) {
        return lifecycle(ref, "start", domain -> domain.create());
    }

    @Override
    public CompletableFuture<Void> shutdown(DomainRef ref) {
        return lifecycle(ref, "shut down", domain -> domain.shutdown());
    }

    @Override
    public CompletableFuture<Void> forceOff(DomainRef ref) {
        return lifecycle(ref, "force off", domain -> domain.destroy());
    }

    @Override
    public CompletableFuture<Void> reboot(DomainRef ref) {
        return lifecycle(ref, "reboot", domain -> domain.reboot(0));
    }

    @Override
    public CompletableFuture<Void> reset(DomainRef ref) {
        return lifecycle(ref, "reset", domain -> domain.reset());
    }

    @Override
    public CompletableFuture<Void> pause(DomainRef ref) {
        return lifecycle(ref, "pause", domain -> domain.suspend());
    }

    @Override
    public CompletableFuture<Void> resume(DomainRef ref) {
        return lifecycle(ref, "resume", domain -> domain.resume());
    }

    @Override
    public CompletableFuture<Void> save(DomainRef ref) {
        return lifecycle(ref, "save", domain -> domain.managedSave());
    }

    @Override
    public CompletableFuture<Void> setAutostart(DomainRef ref, boolean autostart) {
        return lifecycle(
                ref,
                autostart ? "turn on autostart for" : "turn off autostart for",
                domain -> domain.setAutostart(autostart));
    }

    @Override
    public CompletableFuture<List<String>> snapshotNames(DomainRef ref) {
        return onHost(
                ref.host(),
                host -> host.call("list the snapshots", HostConnection.READ_TIMEOUT, c -> {
                    var domain = c.domainLookupByUUID(ref.uuid());
                    try {
                        return List.of(domain.snapshotListNames());
                    } finally {
                        domain.free();
                    }
                }));
    }

    @Override
    public CompletableFuture<Void> revertToSnapshot(DomainRef ref, String snapshot) {
        return lifecycle(ref, "revert", domain -> {
            var target = domain.snapshotLookupByName(snapshot);
            try {
                domain.revertToSnapshot(target);
            } finally {
                target.free();
            }
        });
    }

    @Override
    public CompletableFuture<List<DomainStats>> bulkStats(String host) {
        return onHost(
                host,
                connection -> connection.call(
                        "read statistics of host " + host,
                        HostConnection.READ_TIMEOUT,
                        connect -> BulkStatsReader.read(host, connect)));
    }

    @Override
    public CompletableFuture<DomainDetails> details(DomainRef ref) {
        return onHost(
                ref.host(),
                host -> host.call("read the details", HostConnection.READ_TIMEOUT, c -> {
                    var summary = host.domain(ref.uuid())
                            .orElseThrow(() -> new HypervisorException(
                                    "Could not read the details: the virtual machine no longer exists."));
                    var domain = c.domainLookupByUUID(ref.uuid());
                    try {
                        var xml = DomainXml.parse(domain.getXMLDesc(0));
                        return DomainXmlReader.read(
                                summary, xml, target -> capacity(domain, target), addresses(domain));
                    } finally {
                        domain.free();
                    }
                }));
    }

    /**
     * IP addresses by MAC, from the DHCP leases of libvirt's own networks: the source that needs nothing in
     * the guest. Empty when the domain is off or its NICs are not on a libvirt network.
     */
    private static Map<String, List<String>> addresses(org.libvirt.Domain domain) {
        try {
            if (domain.isActive() != 1) {
                return Map.of();
            }
            var result = new HashMap<String, List<String>>();
            for (var nic : domain.interfaceAddresses(ADDRESSES_FROM_LEASES, 0)) {
                if (nic.hwAddr != null && nic.addrs != null) {
                    result.put(
                            nic.hwAddr.toLowerCase(Locale.ROOT),
                            nic.addrs.stream()
                                    .map(a -> a.address.getHostAddress() + "/" + a.prefixLength)
                                    .toList());
                }
            }
            return result;
        } catch (org.libvirt.LibvirtException e) {
            return Map.of();
        }
    }

    /** A disk's size; -1 when libvirt cannot tell (no medium, or storage it cannot inspect). */
    private static long capacity(org.libvirt.Domain domain, String target) {
        try {
            return domain.blockInfo(target).getCapacity();
        } catch (org.libvirt.LibvirtException e) {
            return -1;
        }
    }

    @Override
    public CompletableFuture<String> domainXml(DomainRef ref) {
        return onHost(
                ref.host(),
                host -> host.call("read the definition", HostConnection.READ_TIMEOUT, c -> {
                    var domain = c.domainLookupByUUID(ref.uuid());
                    try {
                        var document = DomainXml.parse(domain.getXMLDesc(XML_SECURE));
                        DomainSecrets.mask(document);
                        return DomainXml.serialize(document, true);
                    } finally {
                        domain.free();
                    }
                }));
    }

    @Override
    public CompletableFuture<Void> setDescription(DomainRef ref, String description) {
        return onHost(
                ref.host(),
                host -> host.call("change the description", HostConnection.LIFECYCLE_TIMEOUT, c -> {
                    var domain = c.domainLookupByUUID(ref.uuid());
                    try {
                        if (domain.isPersistent() != 1) {
                            throw new HypervisorException(
                                    "Could not change the description: the virtual machine is transient (not defined).");
                        }
                        // Read-modify-write of the persistent definition; the secure flag keeps passwords in it.
                        var document = DomainXml.parse(domain.getXMLDesc(XML_SECURE | XML_INACTIVE));
                        DomainXml.setDescription(document, description);
                        c.domainDefineXML(DomainXml.serialize(document, false)).free();
                        if (domain.isActive() == 1) {
                            // The running definition is separate from the persistent one: update it too, so the
                            // change shows now and not only after the next start.
                            domain.setMetadata(METADATA_DESCRIPTION, description, null, null, AFFECT_LIVE);
                        }
                    } finally {
                        domain.free();
                    }
                    return null;
                }));
    }

    @Override
    public CompletableFuture<VncEndpoint> vncEndpoint(DomainRef ref) {
        return onHost(
                ref.host(),
                host -> host.call("find the console", HostConnection.READ_TIMEOUT, c -> {
                    var domain = c.domainLookupByUUID(ref.uuid());
                    try {
                        if (domain.isActive() != 1) {
                            throw new HypervisorException("The virtual machine is not running.");
                        }
                        return VncLocator.locate(
                                DomainXml.parse(domain.getXMLDesc(0)),
                                host.status().uri());
                    } finally {
                        domain.free();
                    }
                }));
    }

    @Override
    public CompletableFuture<Screenshot> screenshot(DomainRef ref) {
        return onHost(ref.host(), host -> {
            String action = "take a screenshot of "
                    + host.domain(ref.uuid())
                            .map(DomainSummary::name)
                            .orElse(ref.uuid().toString());
            return host.call(
                            action,
                            HostConnection.READ_TIMEOUT,
                            c -> ScreenCapture.capture(c, ref.uuid(), action, HostConnection.READ_TIMEOUT))
                    .thenApplyAsync(
                            picture -> {
                                try {
                                    return ScreenImages.thumbnail(picture);
                                } catch (IllegalArgumentException e) {
                                    throw new HypervisorException(
                                            "Could not " + action + ": the host sent a picture that cannot be read ("
                                                    + e.getMessage() + ").",
                                            e);
                                }
                            },
                            images);
        });
    }

    @Override
    public CompletableFuture<SerialConsole> openSerialConsole(DomainRef ref, SerialConsole.Listener listener) {
        return onHost(ref.host(), host -> host.openSerialConsole(ref, listener));
    }

    private CompletableFuture<Void> lifecycle(DomainRef ref, String verb, HostConnection.DomainCall call) {
        return onHost(ref.host(), host -> host.onDomain(ref, verb, HostConnection.LIFECYCLE_TIMEOUT, call));
    }

    /**
     * Runs {@code work} on the named host; an unknown name fails the future with a clear message. The other
     * libvirt components of this package (storage, networks, snapshots, provisioning) reach hosts through it.
     */
    <T> CompletableFuture<T> onHost(String name, Function<HostConnection, CompletableFuture<T>> work) {
        var host = hosts.get(name);
        if (host == null) {
            return CompletableFuture.failedFuture(new HypervisorException("No host named " + name + " is configured."));
        }
        return work.apply(host);
    }

    @Override
    public void close() {
        hosts.values().forEach(HostConnection::stop);
        probes.shutdown();
        images.shutdown();
        scheduler.shutdownNow();
    }
}
