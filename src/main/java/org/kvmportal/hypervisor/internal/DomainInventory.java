package org.kvmportal.hypervisor.internal;

import java.util.HashMap;
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
import org.libvirt.Domain;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;

/**
 * The domains of one host as last seen, so that lists answer from memory. Kept current by lifecycle events
 * and a periodic reload; publishes {@link DomainStateChanged} and {@link DomainRemoved} only for real changes.
 */
final class DomainInventory {

    private final String host;
    private final Consumer<Object> events;
    private final Map<UUID, DomainSummary> domains = new ConcurrentHashMap<>();
    /** Reads are numbered when they start; see {@link #apply}. */
    private final AtomicLong tickets = new AtomicLong();

    private final Map<UUID, Long> applied = new ConcurrentHashMap<>();

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

    /** Replaces the inventory with what the host lists now. */
    void reload(PortalConnect connect) throws LibvirtException {
        long ticket = tickets.incrementAndGet();
        var current = new HashMap<UUID, DomainSummary>();
        for (Domain domain : connect.listAllDomains(0)) {
            try {
                var summary = summarize(domain);
                current.put(summary.ref().uuid(), summary);
            } catch (LibvirtException e) {
                if (!isGone(e)) {
                    throw e;
                }
                // undefined between the listing and this read: simply not there any more
            } finally {
                domain.free();
            }
        }
        for (var uuid : List.copyOf(domains.keySet())) {
            if (!current.containsKey(uuid)) {
                apply(uuid, null, ticket);
            }
        }
        current.values().forEach(summary -> apply(summary.ref().uuid(), summary, ticket));
        applied.keySet().retainAll(domains.keySet());
    }

    /** Re-reads one domain; drops it when libvirt no longer knows it (e.g. a transient domain that stopped). */
    void refresh(PortalConnect connect, UUID uuid) throws LibvirtException {
        long ticket = tickets.incrementAndGet();
        Domain domain;
        try {
            domain = connect.domainLookupByUUID(uuid);
        } catch (LibvirtException e) {
            if (isGone(e)) {
                apply(uuid, null, ticket);
                return;
            }
            throw e;
        }
        try {
            apply(uuid, summarize(domain), ticket);
        } finally {
            domain.free();
        }
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
    private synchronized void apply(UUID uuid, DomainSummary summary, long ticket) {
        var last = applied.get(uuid);
        if (last != null && last > ticket) {
            return;
        }
        applied.put(uuid, ticket);
        if (summary == null) {
            if (domains.remove(uuid) != null) {
                events.accept(new DomainRemoved(new DomainRef(host, uuid)));
            }
            return;
        }
        var previous = domains.put(uuid, summary);
        if (!summary.equals(previous)) {
            events.accept(new DomainStateChanged(summary));
        }
    }

    private DomainSummary summarize(Domain domain) throws LibvirtException {
        var info = domain.getInfo();
        boolean persistent = domain.isPersistent() == 1;
        return new DomainSummary(
                new DomainRef(host, UUID.fromString(domain.getUUIDString())),
                domain.getName(),
                PowerStates.of(info.state),
                info.nrVirtCpu,
                info.memory,
                info.maxMem,
                persistent,
                persistent && domain.getAutostart(),
                persistent && domain.hasManagedSaveImage() == 1);
    }

    private static boolean isGone(LibvirtException e) {
        return e.getError() != null && e.getError().getCode() == ErrorNumber.VIR_ERR_NO_DOMAIN;
    }
}
