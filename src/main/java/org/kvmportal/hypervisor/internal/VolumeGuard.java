package org.kvmportal.hypervisor.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;

/**
 * What depends on which file of a host, read at one moment: the disks of every domain (running or not, both
 * their live and persistent definitions, with the backing chains the live one shows) and the backing file of
 * every volume of every active pool. A volume with any dependant must not be deleted. Volumes of inactive pools
 * cannot be listed by libvirt, so their backing files are unknown: start a pool to have it counted.
 *
 * <p>Paths are compared as libvirt names them: each is looked up as a volume and replaced by the volume's own
 * path when it is one, so that two spellings of one file are one.
 */
final class VolumeGuard {

    /** libvirt's {@code VIR_DOMAIN_XML_INACTIVE}. */
    private static final int XML_INACTIVE = 2;

    private final Connect connect;
    private final Map<String, List<String>> reasons = new HashMap<>();
    private final Map<String, String> canonical = new HashMap<>();
    /** The domains whose disks (or their backing chains) are at each path. */
    private final Map<String, Set<UUID>> domains = new HashMap<>();
    /** The paths some volume's backing chain starts at. */
    private final Set<String> backingFiles = new HashSet<>();

    private VolumeGuard(Connect connect) {
        this.connect = connect;
    }

    /**
     * @param exceptDomain a domain whose own disks do not count (the one being deleted), or null
     */
    static VolumeGuard read(Connect connect, UUID exceptDomain) throws LibvirtException {
        var guard = new VolumeGuard(connect);
        guard.readDomains(exceptDomain);
        guard.readVolumes();
        return guard;
    }

    /** Why the file must be kept, one sentence each; empty when nothing depends on it. */
    List<String> protections(String path) throws LibvirtException {
        return List.copyOf(reasons.getOrDefault(canonical(path), List.of()));
    }

    /** The domains whose disks or backing chains read the file: live and persistent definitions alike. */
    Set<UUID> domainsUsing(String path) throws LibvirtException {
        return Set.copyOf(domains.getOrDefault(canonical(path), Set.of()));
    }

    /** Whether another volume's backing chain starts at the file (a template's base image, say). */
    boolean isBackingFile(String path) throws LibvirtException {
        return backingFiles.contains(canonical(path));
    }

    /** The path libvirt gives the volume at {@code path}, or {@code path} itself when it is no pool's volume. */
    String canonical(String path) throws LibvirtException {
        var known = canonical.get(path);
        if (known != null) {
            return known;
        }
        String result = path;
        try {
            var volume = connect.storageVolLookupByPath(path);
            try {
                result = volume.getPath();
            } finally {
                volume.free();
            }
        } catch (LibvirtException e) {
            if (!StorageErrors.is(e, ErrorNumber.VIR_ERR_NO_STORAGE_VOL)) {
                throw e;
            }
        }
        canonical.put(path, result);
        return result;
    }

    private void readDomains(UUID exceptDomain) throws LibvirtException {
        for (Domain domain : connect.listAllDomains(0)) {
            try {
                if (exceptDomain != null && exceptDomain.toString().equals(domain.getUUIDString())) {
                    continue;
                }
                readDomain(domain);
            } catch (LibvirtException e) {
                if (!LibvirtErrors.isNoDomain(e)) {
                    throw e;
                }
                // undefined since it was listed: it holds nothing any more
            } finally {
                domain.free();
            }
        }
    }

    private void readDomain(Domain domain) throws LibvirtException {
        String name = domain.getName();
        var uuid = UUID.fromString(domain.getUUIDString());
        var xmls = new ArrayList<String>();
        xmls.add(domain.getXMLDesc(0));
        if (domain.isActive() == 1 && domain.isPersistent() == 1) {
            xmls.add(domain.getXMLDesc(XML_INACTIVE)); // the disks it will have at its next start
        }
        for (String xml : xmls) {
            for (var disk : DomainDiskXml.read(xml)) {
                String file = disk.volume().isEmpty() ? disk.file() : poolVolumePath(disk.pool(), disk.volume());
                if (!file.isEmpty()) {
                    add(file, "it is a disk of VM " + name);
                    domains.computeIfAbsent(canonical(file), key -> new HashSet<>())
                            .add(uuid);
                }
                for (String backing : disk.backingFiles()) {
                    add(backing, "it is in the backing chain of a disk of VM " + name);
                    domains.computeIfAbsent(canonical(backing), key -> new HashSet<>())
                            .add(uuid);
                }
            }
        }
    }

    private String poolVolumePath(String pool, String volume) throws LibvirtException {
        try {
            var storagePool = connect.storagePoolLookupByName(pool);
            try {
                var storageVolume = storagePool.storageVolLookupByName(volume);
                try {
                    return storageVolume.getPath();
                } finally {
                    storageVolume.free();
                }
            } finally {
                storagePool.free();
            }
        } catch (LibvirtException e) {
            if (StorageErrors.is(e, ErrorNumber.VIR_ERR_NO_STORAGE_POOL)
                    || StorageErrors.is(e, ErrorNumber.VIR_ERR_NO_STORAGE_VOL)
                    || StorageErrors.is(e, ErrorNumber.VIR_ERR_OPERATION_INVALID)) {
                return ""; // a disk whose volume is gone (or whose pool is stopped) protects nothing we can list
            }
            throw e;
        }
    }

    private void readVolumes() throws LibvirtException {
        for (String poolName : connect.listStoragePools()) {
            var pool = connect.storagePoolLookupByName(poolName);
            try {
                for (String volumeName : pool.listVolumes()) {
                    org.libvirt.StorageVol volume;
                    try {
                        volume = pool.storageVolLookupByName(volumeName);
                    } catch (LibvirtException e) {
                        if (StorageErrors.is(e, ErrorNumber.VIR_ERR_NO_STORAGE_VOL)) {
                            continue; // deleted since it was listed
                        }
                        throw e;
                    }
                    try {
                        var facts = StorageVolumeXml.read(volume.getXMLDesc(0));
                        if (!facts.backingPath().isEmpty()) {
                            add(facts.backingPath(), "it is the backing file of volume " + poolName + "/" + volumeName);
                            backingFiles.add(canonical(facts.backingPath()));
                        }
                    } finally {
                        volume.free();
                    }
                }
            } finally {
                pool.free();
            }
        }
    }

    private void add(String path, String reason) throws LibvirtException {
        var list = reasons.computeIfAbsent(canonical(path), key -> new ArrayList<>());
        if (!list.contains(reason)) {
            list.add(reason);
        }
    }
}
