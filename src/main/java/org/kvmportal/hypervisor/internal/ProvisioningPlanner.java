package org.kvmportal.hypervisor.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import org.kvmportal.hypervisor.Firmware;
import org.kvmportal.hypervisor.HypervisorException;
import org.kvmportal.hypervisor.NetworkChoice;
import org.kvmportal.hypervisor.NewVm;
import org.kvmportal.hypervisor.VmSource;
import org.kvmportal.hypervisor.internal.NewDomainXml.VolumeRef;
import org.libvirt.Domain;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.libvirt.StorageVol;
import org.w3c.dom.Element;

/**
 * Turns a {@link NewVm} into what to create: the volumes and the domain XML. It only reads the host, so it
 * serves the preview as well; a name, UUID or volume already taken is refused here, before anything is made.
 */
final class ProvisioningPlanner {

    /** libvirt's {@code VIR_DOMAIN_XML_SECURE | VIR_DOMAIN_XML_INACTIVE}: the persistent definition, secrets in. */
    private static final int PERSISTENT_WITH_SECRETS = 1 | 2;

    /**
     * A volume to make in {@code pool}.
     *
     * @param copyOf the path of the volume to copy in full (libvirt's {@code storageVolCreateXMLFrom}), or null
     */
    record PlannedVolume(String pool, String name, String xml, String copyOf) {}

    record Plan(String domainXml, List<PlannedVolume> volumes) {
        boolean copiesInFull() {
            return volumes.stream().anyMatch(volume -> volume.copyOf() != null);
        }
    }

    private final String domainType;

    /** @param domainType for new domains: {@code auto}, {@code kvm} or {@code qemu} */
    ProvisioningPlanner(String domainType) {
        this.domainType = domainType;
    }

    Plan plan(PortalConnect connect, NewVm spec) throws LibvirtException {
        requireFree(connect, spec);
        var scan = DomainScan.read(connect);
        return switch (spec.source()) {
            case VmSource.IsoInstall iso -> planNew(connect, spec, scan, iso.pool(), iso.volume(), true);
            case VmSource.ExistingDisk disk -> planNew(connect, spec, scan, disk.pool(), disk.volume(), false);
            case VmSource.CopyOf copy -> planCopy(connect, spec, scan, copy);
        };
    }

    private static void requireFree(PortalConnect connect, NewVm spec) throws LibvirtException {
        if (exists(() -> connect.domainLookupByName(spec.name()))) {
            throw new HypervisorException(
                    "A virtual machine named " + spec.name() + " already exists on host " + spec.host() + ".");
        }
        if (exists(() -> connect.domainLookupByUUID(spec.uuid()))) {
            throw new HypervisorException("A virtual machine with UUID " + spec.uuid() + " already exists on host "
                    + spec.host() + "; try again.");
        }
    }

    private Plan planNew(
            PortalConnect connect, NewVm spec, DomainScan scan, String poolName, String volumeName, boolean installer)
            throws LibvirtException {
        var guest = HostGuest.read(connect, domainType);
        if (spec.firmware() == Firmware.UEFI) {
            String unavailable = FirmwareSupport.uefiUnavailable(connect, guest);
            if (unavailable != null) {
                throw new HypervisorException(unavailable);
            }
        }
        var chosen = volumeFacts(connect, poolName, volumeName);
        var volumes = new ArrayList<PlannedVolume>();
        VolumeRef system;
        VolumeRef iso = null;
        if (installer) {
            String diskName = spec.name() + ".qcow2";
            requireNoVolume(connect, spec.pool(), diskName);
            volumes.add(new PlannedVolume(
                    spec.pool(), diskName, CloneVolumeXml.empty(diskName, spec.diskGib() << 30), null));
            system = new VolumeRef(spec.pool(), diskName, "qcow2");
            iso = new VolumeRef(poolName, volumeName, "raw");
        } else {
            var users = scan.usersOf(chosen.path(), poolName, volumeName);
            if (!users.isEmpty()) {
                throw new HypervisorException("Disk image " + volumeName + " is used by " + String.join(", ", users)
                        + "; two machines writing one disk would destroy it.");
            }
            system = new VolumeRef(poolName, volumeName, chosen.format().isEmpty() ? "raw" : chosen.format());
        }
        boolean nic = !(spec.network() instanceof NetworkChoice.None);
        var macs = MacAddresses.generate(spec.uuid(), nic ? 1 : 0, scan.macs());
        var document = NewDomainXml.build(spec, guest, system, iso, nic ? macs.getFirst() : null);
        return new Plan(DomainXml.serialize(document, true), volumes);
    }

    private Plan planCopy(PortalConnect connect, NewVm spec, DomainScan scan, VmSource.CopyOf copy)
            throws LibvirtException {
        Domain original;
        try {
            original = connect.domainLookupByUUID(copy.domain());
        } catch (LibvirtException e) {
            if (LibvirtErrors.isNoDomain(e)) {
                throw new HypervisorException("The virtual machine to copy no longer exists.", e);
            }
            throw e;
        }
        org.w3c.dom.Document document;
        String originalName;
        try {
            originalName = original.getName();
            if (original.isActive() == 1) {
                throw new HypervisorException(
                        originalName
                                + " is running: shut it down first (its disks must not change while they are copied or linked).");
            }
            document = DomainXml.parse(original.getXMLDesc(PERSISTENT_WITH_SECRETS));
        } finally {
            original.free();
        }
        var devices = XmlElements.child(document.getDocumentElement(), "devices");
        var volumes = new ArrayList<PlannedVolume>();
        var replacements = new HashMap<String, VolumeRef>();
        var names = new HashSet<String>();
        List<Element> disks = devices == null ? List.of() : CloneDomainXml.clonedDisks(devices);
        for (var disk : disks) {
            String target = CloneDomainXml.targetOf(disk);
            var source = sourceVolume(connect, disk, originalName, target);
            String pool = spec.pool() == null ? source.pool() : spec.pool();
            String format = copy.linked() ? "qcow2" : source.format();
            String name = spec.name() + (volumes.isEmpty() ? "" : "-" + target) + "." + extension(format);
            if (!names.add(pool + "/" + name)) {
                throw new HypervisorException(originalName + " has two disks named " + target + ".");
            }
            requireNoVolume(connect, pool, name);
            String xml = copy.linked()
                    ? CloneVolumeXml.linked(name, source.capacity(), source.path(), source.format())
                    : CloneVolumeXml.copy(name, source.capacity(), source.format());
            volumes.add(new PlannedVolume(pool, name, xml, copy.linked() ? null : source.path()));
            replacements.put(target, new VolumeRef(pool, name, format));
        }
        var macs = MacAddresses.generate(spec.uuid(), CloneDomainXml.nicCount(document), scan.macs());
        CloneDomainXml.apply(document, spec, replacements, macs.iterator());
        return new Plan(DomainXml.serialize(document, true), volumes);
    }

    /** A disk's volume as its pool knows it: copies are made by libvirt's storage driver, never by path. */
    private record SourceVolume(String pool, String path, String format, long capacity) {}

    private static SourceVolume sourceVolume(PortalConnect connect, Element disk, String domain, String target)
            throws LibvirtException {
        var source = XmlElements.child(disk, "source");
        StorageVol volume;
        try {
            if (source.hasAttribute("pool")) {
                StoragePool pool = activePool(connect, source.getAttribute("pool"));
                try {
                    volume = pool.storageVolLookupByName(source.getAttribute("volume"));
                } finally {
                    pool.free();
                }
            } else {
                String path = source.hasAttribute("file") ? source.getAttribute("file") : source.getAttribute("dev");
                volume = connect.storageVolLookupByPath(path);
            }
        } catch (LibvirtException e) {
            if (code(e) == ErrorNumber.VIR_ERR_NO_STORAGE_VOL) {
                throw new HypervisorException(
                        "Disk " + target + " of " + domain
                                + " is not a volume in an active storage pool; the portal copies only pool volumes.",
                        e);
            }
            throw e;
        }
        try {
            var pool = volume.storagePoolLookupByVolume();
            String poolName;
            try {
                poolName = pool.getName();
            } finally {
                pool.free();
            }
            var xml = DomainXml.parse(volume.getXMLDesc(0)).getDocumentElement();
            return facts(poolName, xml);
        } finally {
            volume.free();
        }
    }

    private static SourceVolume volumeFacts(PortalConnect connect, String poolName, String volumeName)
            throws LibvirtException {
        StoragePool pool = activePool(connect, poolName);
        try {
            StorageVol volume;
            try {
                volume = pool.storageVolLookupByName(volumeName);
            } catch (LibvirtException e) {
                if (code(e) == ErrorNumber.VIR_ERR_NO_STORAGE_VOL) {
                    throw new HypervisorException(
                            "Storage pool " + poolName + " has no volume named " + volumeName + ".", e);
                }
                throw e;
            }
            try {
                return facts(poolName, DomainXml.parse(volume.getXMLDesc(0)).getDocumentElement());
            } finally {
                volume.free();
            }
        } finally {
            pool.free();
        }
    }

    private static SourceVolume facts(String pool, Element volumeXml) {
        var target = XmlElements.child(volumeXml, "target");
        var format = target == null ? null : XmlElements.child(target, "format");
        return new SourceVolume(
                pool,
                target == null ? "" : XmlElements.text(target, "path"),
                format == null || format.getAttribute("type").isEmpty() ? "raw" : format.getAttribute("type"),
                XmlElements.bytes(volumeXml, "capacity"));
    }

    static StoragePool activePool(PortalConnect connect, String name) throws LibvirtException {
        StoragePool pool;
        try {
            pool = connect.storagePoolLookupByName(name);
        } catch (LibvirtException e) {
            if (code(e) == ErrorNumber.VIR_ERR_NO_STORAGE_POOL) {
                throw new HypervisorException("There is no storage pool named " + name + ".", e);
            }
            throw e;
        }
        if (pool.isActive() != 1) {
            pool.free();
            throw new HypervisorException("Storage pool " + name + " is not active.");
        }
        return pool;
    }

    private static void requireNoVolume(PortalConnect connect, String poolName, String volumeName)
            throws LibvirtException {
        StoragePool pool = activePool(connect, poolName);
        try {
            if (exists(() -> pool.storageVolLookupByName(volumeName))) {
                throw new HypervisorException(
                        "Storage pool " + poolName + " already has a volume named " + volumeName + ".");
            }
        } finally {
            pool.free();
        }
    }

    private static String extension(String format) {
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "raw" -> "img";
            case "" -> "img";
            default -> format.toLowerCase(Locale.ROOT);
        };
    }

    @FunctionalInterface
    private interface Lookup {
        Object find() throws LibvirtException;
    }

    /** Whether the lookup finds something; "not found" answers false, other errors propagate. */
    private static boolean exists(Lookup lookup) throws LibvirtException {
        try {
            var found = lookup.find();
            switch (found) {
                case Domain domain -> domain.free();
                case StorageVol volume -> volume.free();
                default -> {}
            }
            return true;
        } catch (LibvirtException e) {
            var code = code(e);
            if (code == ErrorNumber.VIR_ERR_NO_DOMAIN || code == ErrorNumber.VIR_ERR_NO_STORAGE_VOL) {
                return false;
            }
            throw e;
        }
    }

    private static ErrorNumber code(LibvirtException e) {
        return e.getError() == null ? null : e.getError().getCode();
    }
}
