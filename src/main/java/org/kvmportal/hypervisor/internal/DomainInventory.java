package org.kvmportal.hypervisor.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.DomainRemoved;
import org.kvmportal.hypervisor.DomainStateChanged;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.PowerState;
import org.kvmportal.hypervisor.internal.InventoryReader.Seen;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

/**
 * The domains of one host as last seen, so that lists answer from memory. Kept current by lifecycle events
 * and a periodic reload; publishes {@link DomainStateChanged} and {@link DomainRemoved} only for real changes.
 */
final class DomainInventory {

    /** A start the portal saw: run {@code id} of the domain began at {@code at}. */
    private record Start(int id, Instant at, long ticket) {}

    private final String host;
    private final Consumer<Object> events;
    private final Map<UUID, DomainSummary> domains = new ConcurrentHashMap<>();
    /** Reads are numbered when they start; see {@link #apply}. */
    private final AtomicLong tickets = new AtomicLong();

    private final Map<UUID, Long> applied = new ConcurrentHashMap<>();
    private final Map<UUID, Start> starts = new ConcurrentHashMap<>();

    DomainInventory(String host, Consumer<Object> events) {
        this.host = host;
        this.events = events;
    }

    /** @param reachable false while the host is disconnected: every domain is then reported unknown */
    List<DomainSummary> all(boolean reachable) {
        return domains.values().stream()
                .map(domain -> reachable ? domain : domain.withState(PowerState.UNKNOWN))
                .toList();
    }

    Optional<DomainSummary> find(UUID uuid, boolean reachable) {
        return Optional.ofNullable(domains.get(uuid))
                .map(domain -> reachable ? domain : domain.withState(PowerState.UNKNOWN));
    }

    /** Replaces the inventory with what the host lists now, in a few round trips (see {@link InventoryReader}). */
    void reload(PortalConnect connect) throws LibvirtException {
        long ticket = tickets.incrementAndGet();
        var current = InventoryReader.readHost(host, connect, domains);
        for (var uuid : List.copyOf(domains.keySet())) {
            if (!current.containsKey(uuid)) {
                apply(uuid, null, ticket);
            }
        }
        current.forEach((uuid, seen) -> apply(uuid, seen, ticket));
        applied.keySet().retainAll(domains.keySet());
    }

    /** Re-reads one domain; drops it when libvirt no longer knows it (e.g. a transient domain that stopped). */
    void refresh(PortalConnect connect, UUID uuid) throws LibvirtException {
        long ticket = tickets.incrementAndGet();
        Domain domain;
        try {
            domain = connect.domainLookupByUUID(uuid);
        } catch (LibvirtException e) {
            if (LibvirtErrors.isNoDomain(e)) {
                apply(uuid, null, ticket);
                return;
            }
            throw e;
        }
        try {
            apply(uuid, InventoryReader.readDomain(host, domain), ticket);
        } finally {
            domain.free();
        }
    }

    /**
     * Records that run {@code id} of a domain started at {@code at} (from libvirt's "started" event): the
     * start of its uptime. libvirt keeps no start time, so domains already running when the portal connected
     * have none.
     */
    void started(UUID uuid, int id, Instant at) {
        starts.put(uuid, new Start(id, at, tickets.incrementAndGet()));
    }

    void clear() {
        List.copyOf(domains.keySet()).forEach(this::remove);
    }

    void remove(UUID uuid) {
        apply(uuid, null, tickets.incrementAndGet());
    }

    /**
     * Records what one read found ({@code null}: the domain is gone), unless a read that started later has
     * already been recorded. Reads run in parallel on the host's pool and can finish out of order; without
     * this, a read taken during "virsh destroy" could land last and leave the VM "shutting down" for good.
     */
    private synchronized void apply(UUID uuid, Seen seen, long ticket) {
        var last = applied.get(uuid);
        if (last != null && last > ticket) {
            return;
        }
        applied.put(uuid, ticket);
        if (seen == null || !seen.summary().state().isActive()) {
            // Only a start recorded before this read began is over; a later one belongs to a newer run.
            starts.computeIfPresent(uuid, (key, start) -> start.ticket() < ticket ? null : start);
        }
        if (seen == null) {
            if (domains.remove(uuid) != null) {
                events.accept(new DomainRemoved(new DomainRef(host, uuid)));
            }
            return;
        }
        var start = starts.get(uuid);
        var summary = seen.summary()
                .withRunningSince(
                        start != null
                                        && start.id() == seen.id()
                                        && seen.summary().state().isActive()
                                ? start.at()
                                : null);
        var previous = domains.put(uuid, summary);
        if (!summary.equals(previous)) {
            events.accept(new DomainStateChanged(summary));
        }
    }
}
