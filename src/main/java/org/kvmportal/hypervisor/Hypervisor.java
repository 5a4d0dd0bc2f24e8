package org.kvmportal.hypervisor;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The portal's access to its hypervisor hosts.
 *
 * <p>Inventory reads ({@link #hosts()}, {@link #domains()}, {@link #domain(DomainRef)}) answer from memory
 * kept current by libvirt events, so they never block. Everything else calls libvirt on the host's own
 * bounded thread pool and completes exceptionally with {@link HypervisorException} on failure or timeout
 * (reads 5 s, lifecycle 30 s). This layer does no authorization: callers (the feature services) check the
 * user's rights before they call.
 */
public interface Hypervisor {

    List<HostStatus> hosts();

    /** The names of the hosts connected now, in the configured order: those a person can pick to act on. */
    default List<String> connectedHosts() {
        return hosts().stream()
                .filter(host -> host.state() == HostState.CONNECTED)
                .map(HostStatus::name)
                .toList();
    }

    /**
     * The host to start with when none is configured: the local system daemon when its socket exists,
     * otherwise libvirt's built-in simulated host, so that the portal can always be explored.
     */
    HostDefinition defaultHost();

    /** Starts managing a host; the connection opens in the background and its state shows in {@link #hosts()}. */
    void addHost(String name, String uri);

    /** Stops managing a host: closes its connection and forgets its domains. Unknown names are ignored. */
    void removeHost(String name);

    /** Opens a throwaway connection to {@code uri} to see whether it answers, and what it is. */
    CompletableFuture<HostFacts> probe(String uri);

    /** Facts about a managed host: hypervisor and libvirt versions, CPUs, memory total and free. */
    CompletableFuture<HostFacts> facts(String host);

    /**
     * All known domains on all hosts, in no particular order (callers sort as they show them); those of an
     * unreachable host are reported {@link PowerState#UNKNOWN}.
     */
    List<DomainSummary> domains();

    Optional<DomainSummary> domain(DomainRef ref);

    CompletableFuture<Void> start(DomainRef ref);

    /** Asks the guest to shut down (ACPI power button); the guest may ignore it. */
    CompletableFuture<Void> shutdown(DomainRef ref);

    /** Pulls the plug: the guest stops at once, unsaved guest data is lost. */
    CompletableFuture<Void> forceOff(DomainRef ref);

    CompletableFuture<Void> reboot(DomainRef ref);

    CompletableFuture<Void> reset(DomainRef ref);

    CompletableFuture<Void> pause(DomainRef ref);

    CompletableFuture<Void> resume(DomainRef ref);

    /** Saves the guest's memory to disk and stops it (libvirt's managed save); {@link #start} restores it. */
    CompletableFuture<Void> save(DomainRef ref);

    CompletableFuture<Void> setAutostart(DomainRef ref, boolean autostart);

    /** The names of the domain's snapshots. */
    CompletableFuture<List<String>> snapshotNames(DomainRef ref);

    /** Puts the domain back as the snapshot recorded it: its disks, and its memory when the snapshot holds it. */
    CompletableFuture<Void> revertToSnapshot(DomainRef ref, String snapshot);

    /** Statistics of every domain on a host in one libvirt call. */
    CompletableFuture<List<DomainStats>> bulkStats(String host);

    /** The domain's definition as a person reads it: OS, disks with sizes, NICs, graphics, description. */
    CompletableFuture<DomainDetails> details(DomainRef ref);

    /** The domain's XML with secrets (VNC and SPICE passwords) replaced by asterisks. */
    CompletableFuture<String> domainXml(DomainRef ref);

    /**
     * Where the running domain's VNC server can be reached from the portal, read from its live XML; fails
     * with a message a person understands when it has none or the portal cannot reach it.
     */
    CompletableFuture<VncEndpoint> vncEndpoint(DomainRef ref);

    /**
     * A picture of the running domain's screen, scaled to fit within {@link Screenshot#MAX_WIDTH} x
     * {@link Screenshot#MAX_HEIGHT} with its aspect ratio kept. Fails with a message a person understands
     * ("... the virtual machine is not running.") when the domain is not running.
     */
    CompletableFuture<Screenshot> screenshot(DomainRef ref);

    /** Replaces the domain's persistent description; the rest of its definition, secrets included, is kept. */
    CompletableFuture<Void> setDescription(DomainRef ref, String description);

    /**
     * Opens the serial console of a running domain (its first console or serial device). Only one session per
     * console at a time: a console in use elsewhere (another tab, {@code virsh console}) is refused, not taken
     * over. The listener gets the guest's output from libvirt's event thread (possibly before the future
     * completes), and {@code closed} once when the console ends for any reason, including the loss of the host
     * connection. No output follows {@code closed}; after {@link SerialConsole#close()} it usually comes on the
     * closing thread.
     */
    CompletableFuture<SerialConsole> openSerialConsole(DomainRef ref, SerialConsole.Listener listener);
}
