package org.kvmportal.hypervisor.internal;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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

    private static final Comparator<DomainSummary> BY_NAME = Comparator.comparing(DomainSummary::name);

    private final String host;
    private final Consumer<Object> events;
    private final Map<UUID, DomainSummary> domains = new ConcurrentHashMap<>();

    DomainInventory(String host, Consumer<Object> events) {
        this.host = host;
        this.events = events;
    }

    /** @param reachable false while the host is disconnected: every domain is then reported unknown */
    List<DomainSummary> all(boolean reachable) {
        return domains.values().stream()
                .map(domain -> reachable ? domain : domain.withState(PowerState.UNKNOWN))
                .sorted(BY_NAME)
                .toList();
    }

    Optional<DomainSummary> find(UUID uuid, boolean reachable) {
        return Optional.ofNullable(domains.get(uuid))
                .map(domain -> reachable ? domain : domain.withState(PowerState.UNKNOWN));
    }

    /** Replaces the inventory with what the host lists now. */
    void reload(PortalConnect connect) throws LibvirtException {
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
                remove(uuid);
            }
        }
        current.values().forEach(this::put);
    }

    /** Re-reads one domain; drops it when libvirt no longer knows it (e.g. a transient domain that stopped). */
    void refresh(PortalConnect connect, UUID uuid) throws LibvirtException {
        Domain domain;
        try {
            domain = connect.domainLookupByUUID(uuid);
        } catch (LibvirtException e) {
            if (isGone(e)) {
                remove(uuid);
                return;
            }
            throw e;
        }
        try {
            put(summarize(domain));
        } finally {
            domain.free();
        }
    }

    void clear() {
        List.copyOf(domains.keySet()).forEach(this::remove);
    }

    void remove(UUID uuid) {
        if (domains.remove(uuid) != null) {
            events.accept(new DomainRemoved(new DomainRef(host, uuid)));
        }
    }

    private void put(DomainSummary summary) {
        var previous = domains.put(summary.ref().uuid(), summary);
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
