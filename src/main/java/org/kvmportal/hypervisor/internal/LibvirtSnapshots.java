package org.kvmportal.hypervisor.internal;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.HypervisorException;
import org.kvmportal.hypervisor.Snapshot;
import org.kvmportal.hypervisor.SnapshotKind;
import org.kvmportal.hypervisor.SnapshotSupport;
import org.kvmportal.hypervisor.Snapshots;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.springframework.stereotype.Component;

/**
 * {@link Snapshots} over our own JNA bindings ({@link SnapshotNative}): {@code virDomainListAllSnapshots} gives
 * each snapshot's XML in one pass, where libvirt-java offers only names. Runs on the hosts' own threads through
 * {@link LibvirtHypervisor#onHost}; the inventory follows the domain's state through libvirt's lifecycle events,
 * which a revert sends like any start or stop.
 */
@Component
final class LibvirtSnapshots implements Snapshots {

    /**
     * Taking or reverting to a snapshot with memory writes or reads the guest's whole RAM: seconds for a small
     * guest, minutes for a large one on slow storage.
     */
    static final Duration CHANGE_TIMEOUT = Duration.ofMinutes(3);

    private static final SnapshotNative lib = SnapshotNative.INSTANCE;

    private final LibvirtHypervisor hypervisor;

    LibvirtSnapshots(LibvirtHypervisor hypervisor) {
        this.hypervisor = hypervisor;
    }

    @Override
    public CompletableFuture<List<Snapshot>> list(DomainRef ref) {
        String action = "list the snapshots of " + name(ref);
        return onDomain(ref, action, HostConnection.READ_TIMEOUT, (c, domain) -> treeOrder(readAll(domain, action)));
    }

    @Override
    public CompletableFuture<SnapshotSupport> support(DomainRef ref) {
        String action = "check which snapshots " + name(ref) + " can take";
        return onDomain(ref, action, HostConnection.READ_TIMEOUT, (c, domain) -> {
            String xml = NativeStrings.take(lib.virDomainGetXMLDesc(domain, 0));
            if (xml == null) {
                throw SnapshotErrors.translateLast(action);
            }
            return SnapshotSupportReader.read(DomainXml.parse(xml), c.getLibVirVersion());
        });
    }

    @Override
    public CompletableFuture<Void> create(DomainRef ref, String name, String description, SnapshotKind kind) {
        String action =
                (kind == SnapshotKind.FULL ? "take a full snapshot of " : "take a disk-only snapshot of ") + name(ref);
        int flags = kind == SnapshotKind.DISK_ONLY ? SnapshotNative.CREATE_DISK_ONLY | SnapshotNative.CREATE_ATOMIC : 0;
        byte[] xml = NativeStrings.utf8(SnapshotXml.create(name, description));
        return onDomain(ref, action, CHANGE_TIMEOUT, (c, domain) -> {
            Pointer created = lib.virDomainSnapshotCreateXML(domain, xml, flags);
            if (created == null) {
                throw SnapshotErrors.translateLast(action);
            }
            lib.virDomainSnapshotFree(created);
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> revert(DomainRef ref, String name, boolean startAfterwards) {
        String action = "revert " + name(ref) + " to snapshot \"" + name + "\"";
        int flags = startAfterwards ? SnapshotNative.REVERT_RUNNING : 0;
        return onSnapshot(ref, name, action, snapshot -> {
            if (lib.virDomainRevertToSnapshot(snapshot, flags) < 0) {
                throw SnapshotErrors.translateLast(action);
            }
        });
    }

    @Override
    public CompletableFuture<Void> delete(DomainRef ref, String name) {
        String action = "delete snapshot \"" + name + "\" of " + name(ref);
        return onSnapshot(ref, name, action, snapshot -> {
            String xml = NativeStrings.take(lib.virDomainSnapshotGetXMLDesc(snapshot, 0));
            if (xml == null) {
                throw SnapshotErrors.translateLast(action);
            }
            boolean external = SnapshotXml.read(xml, false).external();
            if (lib.virDomainSnapshotDelete(snapshot, 0) < 0) {
                var error = SnapshotErrors.translateLast(action);
                if (!external) {
                    throw error;
                }
                // Deleting a disk-only snapshot merges its overlay files back into the disks, which libvirt
                // does for some chains only; its own words say which part it could not do.
                throw new HypervisorException(
                        "Could not " + action + ": the host could not merge the snapshot's overlay files back into"
                                + " the disks (" + LibvirtErrors.detail(LibvirtErrors.lastError()) + ").",
                        error);
            }
        });
    }

    private List<Snapshot> readAll(Pointer domain, String action) {
        String current = currentName(domain, action);
        var array = new PointerByReference();
        int count = lib.virDomainListAllSnapshots(domain, array, 0);
        if (count < 0) {
            throw SnapshotErrors.translateLast(action);
        }
        Pointer snapshots = array.getValue();
        try {
            var result = new ArrayList<Snapshot>(count);
            for (int i = 0; i < count; i++) {
                Pointer snapshot = snapshots.getPointer((long) i * Native.POINTER_SIZE);
                String xml = NativeStrings.take(lib.virDomainSnapshotGetXMLDesc(snapshot, 0));
                if (xml == null) {
                    throw SnapshotErrors.translateLast(action);
                }
                String name = NativeStrings.read(lib.virDomainSnapshotGetName(snapshot));
                result.add(SnapshotXml.read(xml, name != null && name.equals(current)));
            }
            return result;
        } finally {
            if (snapshots != null) {
                for (int i = 0; i < count; i++) {
                    lib.virDomainSnapshotFree(snapshots.getPointer((long) i * Native.POINTER_SIZE));
                }
                Native.free(Pointer.nativeValue(snapshots));
            }
        }
    }

    /** The current snapshot's name, or null when the domain has none. */
    private static String currentName(Pointer domain, String action) {
        Pointer current = lib.virDomainSnapshotCurrent(domain, 0);
        if (current == null) {
            var error = LibvirtErrors.lastError();
            if (error != null && error.getCode() == ErrorNumber.VIR_ERR_NO_DOMAIN_SNAPSHOT) {
                return null;
            }
            throw SnapshotErrors.translateLast(action);
        }
        try {
            return NativeStrings.read(lib.virDomainSnapshotGetName(current));
        } finally {
            lib.virDomainSnapshotFree(current);
        }
    }

    /** Parents before their children, siblings (and roots) oldest first: the order a tree shows them in. */
    static List<Snapshot> treeOrder(List<Snapshot> snapshots) {
        var byName = new HashMap<String, Snapshot>();
        snapshots.forEach(snapshot -> byName.put(snapshot.name(), snapshot));
        var children = new HashMap<String, List<Snapshot>>();
        var roots = new ArrayList<Snapshot>();
        for (var snapshot : snapshots) {
            if (snapshot.parent() == null || !byName.containsKey(snapshot.parent())) {
                roots.add(snapshot);
            } else {
                children.computeIfAbsent(snapshot.parent(), parent -> new ArrayList<>())
                        .add(snapshot);
            }
        }
        Set<Snapshot> ordered = new LinkedHashSet<>();
        roots.stream().sorted(OLDEST_FIRST).forEach(root -> addWithDescendants(root, children, ordered));
        return List.copyOf(ordered);
    }

    private static final Comparator<Snapshot> OLDEST_FIRST = Comparator.comparing(
                    Snapshot::created, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Snapshot::name);

    private static void addWithDescendants(
            Snapshot snapshot, Map<String, List<Snapshot>> children, Set<Snapshot> ordered) {
        if (!ordered.add(snapshot)) {
            return; // a cycle cannot come from libvirt, but must not loop here either
        }
        children.getOrDefault(snapshot.name(), List.of()).stream()
                .sorted(OLDEST_FIRST)
                .forEach(child -> addWithDescendants(child, children, ordered));
    }

    private CompletableFuture<Void> onSnapshot(DomainRef ref, String name, String action, SnapshotWork work) {
        byte[] nameBytes = NativeStrings.utf8(name);
        return onDomain(ref, action, CHANGE_TIMEOUT, (c, domain) -> {
            Pointer snapshot = lib.virDomainSnapshotLookupByName(domain, nameBytes, 0);
            if (snapshot == null) {
                throw SnapshotErrors.translateLast(action);
            }
            try {
                work.apply(snapshot);
            } finally {
                lib.virDomainSnapshotFree(snapshot);
            }
            return null;
        });
    }

    private <T> CompletableFuture<T> onDomain(DomainRef ref, String action, Duration timeout, DomainWork<T> work) {
        return hypervisor.onHost(
                ref.host(),
                host -> host.call(action, timeout, c -> {
                    Pointer domain = lib.virDomainLookupByUUIDString(
                            c.nativePointer(), ref.uuid().toString());
                    if (domain == null) {
                        throw SnapshotErrors.translateLast(action);
                    }
                    try {
                        return work.apply(c, domain);
                    } finally {
                        lib.virDomainFree(domain);
                    }
                }));
    }

    private String name(DomainRef ref) {
        return hypervisor.domain(ref).map(DomainSummary::name).orElse(ref.uuid().toString());
    }

    @FunctionalInterface
    private interface DomainWork<T> {
        T apply(PortalConnect connect, Pointer domain) throws LibvirtException;
    }

    @FunctionalInterface
    private interface SnapshotWork {
        void apply(Pointer snapshot);
    }
}
