package org.kvmportal.hypervisor.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.DomainSummary;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.LibvirtException;

/**
 * Reads what the inventory holds about domains. A whole host costs four round trips however many domains
 * it has: three filtered listings (persistent, autostart, managed save) and one bulk-statistics call (state,
 * vCPUs, memory). Asking each domain instead took four round trips per domain, 0.6 s per 1,000 domains
 * through libvirtd (docs/benchmarks.md).
 */
final class InventoryReader {

    private static final int GROUPS =
            BulkStatsReader.STATE_GROUP | BulkStatsReader.BALLOON_GROUP | BulkStatsReader.VCPU_GROUP;

    /** libvirt's {@code VIR_CONNECT_LIST_DOMAINS_PERSISTENT}, {@code _MANAGEDSAVE} and {@code _AUTOSTART}. */
    private static final int PERSISTENT = 1 << 2;

    private static final int MANAGED_SAVE = 1 << 8;
    private static final int AUTOSTART = 1 << 10;

    /** One domain as read, with its hypervisor id (-1 while inactive), which tells one run from the next. */
    record Seen(DomainSummary summary, int id) {}

    private InventoryReader() {}

    /**
     * Every domain of the host.
     *
     * @param known the inventory as it is: drivers that leave vCPUs and memory out of their bulk statistics
     *     (libvirt's test driver) keep the sizes known for a domain whose state did not change; only the
     *     others cost a round trip each
     */
    static Map<UUID, Seen> readHost(String host, PortalConnect connect, Map<UUID, DomainSummary> known)
            throws LibvirtException {
        // The listings first: they fail with a LibvirtException on a broken connection, which the caller
        // checks for a lost host.
        var persistent = uuids(connect, PERSISTENT);
        var autostart = uuids(connect, AUTOSTART);
        var managedSave = uuids(connect, MANAGED_SAVE);
        var result = new HashMap<UUID, Seen>();
        var unsized = new HashSet<UUID>();
        for (var record : BulkStatsReader.read(host, connect, GROUPS)) {
            var stats = record.stats();
            UUID uuid = stats.ref().uuid();
            var summary = new DomainSummary(
                    stats.ref(),
                    stats.name(),
                    PowerStates.of((int) stats.longValue("state.state", -1)),
                    (int) stats.longValue("vcpu.current", -1),
                    stats.longValue("balloon.current", -1),
                    stats.longValue("balloon.maximum", -1),
                    persistent.contains(uuid),
                    autostart.contains(uuid),
                    managedSave.contains(uuid),
                    null);
            if (summary.vcpus() < 0 || summary.memoryKiB() < 0 || summary.maxMemoryKiB() < 0) {
                var before = known.get(uuid);
                if (before != null && before.state() == summary.state()) {
                    summary = withSizes(summary, before.vcpus(), before.memoryKiB(), before.maxMemoryKiB());
                } else {
                    unsized.add(uuid);
                }
            }
            result.put(uuid, new Seen(summary, record.id()));
        }
        if (!unsized.isEmpty()) {
            readSizes(connect, unsized, result);
        }
        return result;
    }

    /** One domain, asked directly: after an event or an action, where one domain changed. */
    static Seen readDomain(String host, Domain domain) throws LibvirtException {
        var info = domain.getInfo();
        boolean persistent = domain.isPersistent() == 1;
        var summary = new DomainSummary(
                new DomainRef(host, UUID.fromString(domain.getUUIDString())),
                domain.getName(),
                PowerStates.of(info.state),
                info.nrVirtCpu,
                info.memory,
                info.maxMem,
                persistent,
                persistent && domain.getAutostart(),
                persistent && domain.hasManagedSaveImage() == 1,
                null);
        return new Seen(summary, domain.getID());
    }

    /** One listing and a {@code getInfo} per domain that needs it; a domain gone meanwhile is dropped. */
    private static void readSizes(PortalConnect connect, Set<UUID> unsized, Map<UUID, Seen> result)
            throws LibvirtException {
        var found = new HashSet<UUID>();
        Domain[] domains = connect.listAllDomains(0);
        try {
            for (Domain domain : domains) {
                UUID uuid = UUID.fromString(domain.getUUIDString());
                var seen = result.get(uuid);
                if (seen == null || !unsized.contains(uuid)) {
                    continue;
                }
                DomainInfo info;
                try {
                    info = domain.getInfo();
                } catch (LibvirtException e) {
                    if (!LibvirtErrors.isNoDomain(e)) {
                        throw e;
                    }
                    continue; // undefined since the listing
                }
                result.put(
                        uuid, new Seen(withSizes(seen.summary(), info.nrVirtCpu, info.memory, info.maxMem), seen.id()));
                found.add(uuid);
            }
        } finally {
            for (Domain domain : domains) {
                domain.free();
            }
        }
        unsized.stream().filter(uuid -> !found.contains(uuid)).forEach(result::remove);
    }

    private static DomainSummary withSizes(DomainSummary summary, int vcpus, long memoryKiB, long maxMemoryKiB) {
        return new DomainSummary(
                summary.ref(),
                summary.name(),
                summary.state(),
                vcpus,
                memoryKiB,
                maxMemoryKiB,
                summary.persistent(),
                summary.autostart(),
                summary.managedSave(),
                summary.runningSince());
    }

    private static Set<UUID> uuids(PortalConnect connect, int filter) throws LibvirtException {
        Domain[] domains = connect.listAllDomains(filter);
        try {
            var result = new HashSet<UUID>(domains.length * 2);
            for (Domain domain : domains) {
                result.add(UUID.fromString(domain.getUUIDString()));
            }
            return result;
        } finally {
            for (Domain domain : domains) {
                domain.free();
            }
        }
    }
}
