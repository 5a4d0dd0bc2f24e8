package org.kvmportal.hypervisor.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.kvmportal.hypervisor.DomainDisk;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.DomainRemoval;
import org.kvmportal.hypervisor.DomainRemovalOutcome;
import org.kvmportal.hypervisor.HypervisorException;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.springframework.stereotype.Component;

/** {@link DomainRemoval} over libvirt-java, on the hosts of {@link LibvirtHypervisor}. */
@Component
class LibvirtDomainRemoval implements DomainRemoval {

    /** libvirt's {@code VIR_DOMAIN_XML_INACTIVE}. */
    private static final int XML_INACTIVE = 2;

    /** {@code VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | SNAPSHOTS_METADATA}: what every driver accepts. */
    private static final int UNDEFINE_BASIC = 1 | 2;

    /** Besides: {@code NVRAM | CHECKPOINTS_METADATA}, so that a UEFI guest leaves nothing behind. */
    private static final int UNDEFINE_ALL = UNDEFINE_BASIC | 4 | 16;

    private final LibvirtHypervisor hypervisor;

    LibvirtDomainRemoval(LibvirtHypervisor hypervisor) {
        this.hypervisor = hypervisor;
    }

    @Override
    public CompletableFuture<List<DomainDisk>> disks(DomainRef ref) {
        return hypervisor.onHost(
                ref.host(),
                host -> host.call("read the disks", LibvirtStoragePools.GUARD_TIMEOUT, c -> {
                    var domain = c.domainLookupByUUID(ref.uuid());
                    try {
                        return disks(c, domain, VolumeGuard.read(c, ref.uuid()));
                    } finally {
                        domain.free();
                    }
                }));
    }

    @Override
    public CompletableFuture<DomainRemovalOutcome> remove(DomainRef ref, Function<DomainDisk, String> keep) {
        var outcome = new AtomicReference<DomainRemovalOutcome>();
        return hypervisor
                .onHost(
                        ref.host(),
                        host -> host.onDomain(ref, "delete", LibvirtStoragePools.GUARD_TIMEOUT, domain -> {
                            outcome.set(remove(domain, keep));
                        }))
                .thenApply(done -> outcome.get());
    }

    private static DomainRemovalOutcome remove(Domain domain, Function<DomainDisk, String> keep)
            throws LibvirtException {
        String name = domain.getName();
        if (domain.isActive() == 1) {
            throw new HypervisorException(
                    "Could not delete " + name + ": it is running; shut it down or force it off first.");
        }
        Connect c = domain.getConnect();
        var disks = disks(c, domain, VolumeGuard.read(c, java.util.UUID.fromString(domain.getUUIDString())));
        undefine(domain);
        var removed = new ArrayList<String>();
        var kept = new ArrayList<DomainDisk>();
        for (var disk : disks) {
            String reason = keep.apply(disk);
            if (reason != null) {
                kept.add(disk.keptBecause(reason));
            } else if (!disk.deletable()) {
                kept.add(disk);
            } else {
                try {
                    var volume = c.storageVolLookupByPath(disk.path());
                    try {
                        volume.delete(0);
                    } finally {
                        volume.free();
                    }
                    removed.add(disk.path());
                } catch (LibvirtException e) {
                    // The VM is gone already: report the disk as kept rather than fail the whole deletion.
                    kept.add(disk.keptBecause("deleting it failed (" + LibvirtErrors.detail(e.getError()) + ")"));
                }
            }
        }
        return new DomainRemovalOutcome(name, removed, kept);
    }

    private static void undefine(Domain domain) throws LibvirtException {
        try {
            domain.undefine(UNDEFINE_ALL);
        } catch (LibvirtException e) {
            if (!StorageErrors.is(e, ErrorNumber.VIR_ERR_INVALID_ARG)) {
                throw e;
            }
            domain.undefine(UNDEFINE_BASIC); // a driver without NVRAM or checkpoints (the test driver)
        }
    }

    private static List<DomainDisk> disks(Connect c, Domain domain, VolumeGuard guard) throws LibvirtException {
        var disks = new ArrayList<DomainDisk>();
        for (var disk : DomainDiskXml.read(domain.getXMLDesc(XML_INACTIVE))) {
            if (disk.empty()) {
                continue; // an empty CD-ROM drive: nothing to delete
            }
            disks.add(describe(c, disk, guard));
        }
        return disks;
    }

    private static DomainDisk describe(Connect c, DomainDiskXml.Disk disk, VolumeGuard guard) throws LibvirtException {
        String path = disk.file();
        String pool = disk.pool();
        String volumeName = disk.volume();
        try {
            org.libvirt.StorageVol volume;
            if (!volumeName.isEmpty()) {
                var storagePool = c.storagePoolLookupByName(pool);
                try {
                    volume = storagePool.storageVolLookupByName(volumeName);
                } finally {
                    storagePool.free();
                }
            } else {
                volume = c.storageVolLookupByPath(path);
            }
            try {
                path = volume.getPath();
                volumeName = volume.getName();
                var storagePool = volume.storagePoolLookupByVolume();
                try {
                    pool = storagePool.getName();
                } finally {
                    storagePool.free();
                }
            } finally {
                volume.free();
            }
        } catch (LibvirtException e) {
            if (!StorageErrors.is(e, ErrorNumber.VIR_ERR_NO_STORAGE_VOL)
                    && !StorageErrors.is(e, ErrorNumber.VIR_ERR_NO_STORAGE_POOL)) {
                throw e;
            }
            return new DomainDisk(
                    disk.target(),
                    disk.device(),
                    path,
                    "",
                    "",
                    List.of("it is not a volume of an active storage pool (only pool volumes are deleted here)"));
        }
        var protections = new ArrayList<String>();
        if (!disk.device().equals("disk")) {
            protections.add("it is the medium of a " + disk.device() + " drive (installation media are shared)");
        }
        if (disk.shared()) {
            protections.add("it is marked read-only or shareable");
        }
        protections.addAll(guard.protections(path));
        return new DomainDisk(disk.target(), disk.device(), path, pool, volumeName, protections);
    }
}
