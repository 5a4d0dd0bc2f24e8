package org.kvmportal.hypervisor.internal;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.kvmportal.hypervisor.DomainEditor;
import org.kvmportal.hypervisor.DomainHardware;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.EditChoices;
import org.kvmportal.hypervisor.EditLimits;
import org.kvmportal.hypervisor.EditOutcome;
import org.kvmportal.hypervisor.HardwareEdit;
import org.kvmportal.hypervisor.HypervisorException;
import org.kvmportal.hypervisor.VolumeInUseException;
import org.kvmportal.hypervisor.internal.HardwareEdits.VolumeSource;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.libvirt.StorageVol;
import org.libvirt.StorageVolInfo.VirStorageVolType;
import org.springframework.stereotype.Component;
import org.w3c.dom.Document;

/**
 * {@link DomainEditor} over libvirt: read-modify-write of the persistent definition through the DOM (read with
 * {@code VIR_DOMAIN_XML_SECURE} so that passwords survive), then the live call where the domain runs. What a
 * running domain cannot take waits for its next start and is reported by comparing its live and persistent XML.
 */
@Component
class LibvirtDomainEditor implements DomainEditor {

    private static final int XML_SECURE = 1;
    private static final int XML_INACTIVE = 2;
    /** {@code VIR_DOMAIN_AFFECT_LIVE}: the running domain only (the persistent one is written separately). */
    private static final int AFFECT_LIVE = 1;
    /** {@code VIR_DOMAIN_DEVICE_MODIFY_FORCE}: eject even when the guest has locked the tray. */
    private static final int MODIFY_FORCE = 4;
    /** {@code VIR_DOMAIN_BLOCK_RESIZE_BYTES}. */
    private static final int RESIZE_BYTES = 1;

    private static final DomainEditNative editNative = DomainEditNative.INSTANCE;
    private static final LibvirtNative lib = LibvirtNative.INSTANCE;

    private final LibvirtHypervisor hypervisor;

    LibvirtDomainEditor(LibvirtHypervisor hypervisor) {
        this.hypervisor = hypervisor;
    }

    @Override
    public CompletableFuture<DomainHardware> hardware(DomainRef ref) {
        return hypervisor.onHost(
                ref.host(),
                host -> host.call("read the hardware", HostConnection.READ_TIMEOUT, c -> {
                    var domain = c.domainLookupByUUID(ref.uuid());
                    try {
                        return read(domain);
                    } finally {
                        domain.free();
                    }
                }));
    }

    private static DomainHardware read(Domain domain) throws LibvirtException {
        boolean running = domain.isActive() == 1;
        var next = DomainXml.parse(domain.getXMLDesc(XML_INACTIVE));
        List<String> pending = List.of();
        if (running) {
            var live = DomainXml.parse(domain.getXMLDesc(0));
            pending = HardwareXml.pending(
                    HardwareXml.read(live, true, target -> -1, List.of()),
                    HardwareXml.read(next, true, target -> -1, List.of()));
        }
        return HardwareXml.read(next, running, target -> capacity(domain, target), pending);
    }

    private static long capacity(Domain domain, String target) {
        try {
            return domain.blockInfo(target).getCapacity();
        } catch (LibvirtException e) {
            return -1;
        }
    }

    @Override
    public CompletableFuture<EditLimits> limits(DomainRef ref) {
        return hypervisor.onHost(
                ref.host(),
                host -> host.call("read the host's limits", HostConnection.READ_TIMEOUT, c -> {
                    var domain = c.domainLookupByUUID(ref.uuid());
                    try {
                        var root =
                                DomainXml.parse(domain.getXMLDesc(XML_INACTIVE)).getDocumentElement();
                        var type = XmlElements.path(root, "os", "type");
                        String virtType = root.getAttribute("type");
                        int maxVcpus = maxVcpus(
                                c,
                                XmlElements.text(XmlElements.child(root, "devices"), "emulator"),
                                type == null ? "" : type.getAttribute("arch"),
                                type == null ? "" : type.getAttribute("machine"),
                                virtType);
                        long free;
                        try {
                            free = c.getFreeMemory() / 1024;
                        } catch (LibvirtException e) {
                            free = -1;
                        }
                        return new EditLimits(maxVcpus, c.nodeInfo().memory, free);
                    } finally {
                        domain.free();
                    }
                }));
    }

    /** From the domain capabilities of this emulator and machine; drivers without them answer per type. */
    private static int maxVcpus(PortalConnect c, String emulator, String arch, String machine, String virtType)
            throws LibvirtException {
        Pointer xml = editNative.virConnectGetDomainCapabilities(
                c.nativePointer(), blankToNull(emulator), blankToNull(arch), blankToNull(machine), virtType, 0);
        if (xml != null) {
            try {
                var vcpu = XmlElements.child(
                        DomainXml.parse(xml.getString(0, "UTF-8")).getDocumentElement(), "vcpu");
                if (vcpu != null && !vcpu.getAttribute("max").isEmpty()) {
                    return Integer.parseInt(vcpu.getAttribute("max"));
                }
            } finally {
                Native.free(Pointer.nativeValue(xml));
            }
        }
        return c.getMaxVcpus(virtType);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    @Override
    public CompletableFuture<EditChoices> choices(DomainRef ref) {
        return hypervisor.onHost(
                ref.host(),
                host -> host.call("list storage pools and networks", LibvirtStoragePools.GUARD_TIMEOUT, c -> {
                    var pools = new ArrayList<EditChoices.Pool>();
                    VolumeGuard guard = null; // read once the pools are refreshed, so that new files count
                    for (String name : c.listStoragePools()) {
                        var pool = c.storagePoolLookupByName(name);
                        try {
                            try {
                                pool.refresh(0); // files copied into the pool's folder show up
                            } catch (LibvirtException e) {
                                // a pool busy with another job lists what it knew
                            }
                            var volumes = new ArrayList<EditChoices.Volume>();
                            for (String volumeName : pool.listVolumes()) {
                                var volume = pool.storageVolLookupByName(volumeName);
                                try {
                                    if (guard == null) {
                                        guard = VolumeGuard.read(c, null);
                                    }
                                    String path = volume.getPath();
                                    volumes.add(new EditChoices.Volume(
                                            volumeName,
                                            volume.getInfo().capacity,
                                            path,
                                            guard.domainsUsing(path),
                                            guard.isBackingFile(path)));
                                } finally {
                                    volume.free();
                                }
                            }
                            volumes.sort(java.util.Comparator.comparing(EditChoices.Volume::name));
                            pools.add(new EditChoices.Pool(name, pool.getInfo().available, volumes));
                        } finally {
                            pool.free();
                        }
                    }
                    pools.sort(java.util.Comparator.comparing(EditChoices.Pool::name));
                    var networks = new ArrayList<>(List.of(c.listNetworks()));
                    networks.sort(null);
                    return new EditChoices(pools, networks);
                }));
    }

    @Override
    public CompletableFuture<EditOutcome> apply(DomainRef ref, HardwareEdit edit) {
        var outcome = new AtomicReference<EditOutcome>();
        return hypervisor
                .onHost(
                        ref.host(),
                        host -> host.onDomain(
                                ref,
                                "change the hardware of",
                                HostConnection.LIFECYCLE_TIMEOUT,
                                domain -> outcome.set(applyOn(domain, edit))))
                .thenApply(done -> outcome.get());
    }

    /** A change to make to the running domain once the definition has taken the edit. */
    @FunctionalInterface
    private interface LiveCall {
        void apply(Domain domain) throws LibvirtException;
    }

    private static EditOutcome applyOn(Domain domain, HardwareEdit edit) throws LibvirtException {
        var connect = (PortalConnect) domain.getConnect();
        if (domain.isPersistent() != 1) {
            throw new HypervisorException(
                    "The virtual machine is transient (not defined): it has no definition to" + " change.");
        }
        boolean running = domain.isActive() == 1;
        var next = DomainXml.parse(domain.getXMLDesc(XML_SECURE | XML_INACTIVE));
        var live = running ? DomainXml.parse(domain.getXMLDesc(0)) : null;
        var liveCalls = new ArrayList<LiveCall>();
        StorageVol created = null;
        boolean redefine = true;
        switch (edit) {
            case HardwareEdit.ProcessorsAndMemory change -> {
                HardwareEdits.processorsAndMemory(next, change);
                if (running) {
                    var now = HardwareXml.read(live, true, target -> -1, List.of());
                    if (now.vcpus() != change.vcpus() && change.vcpus() <= now.maxVcpus()) {
                        liveCalls.add(d -> d.setVcpusFlags(change.vcpus(), AFFECT_LIVE));
                    }
                    if (now.memoryKiB() != change.memoryKiB() && change.memoryKiB() <= now.maxMemoryKiB()) {
                        liveCalls.add(d -> setLiveMemory(connect, d, change.memoryKiB()));
                    }
                }
            }
            case HardwareEdit.NewDisk disk -> {
                var pool = connect.storagePoolLookupByName(disk.pool());
                try {
                    created = pool.storageVolCreateXML(
                            NewDiskVolumeXml.of(disk.volume(), disk.capacityBytes(), disk.format()), 0);
                    var element = HardwareEdits.addDisk(
                            next, "disk", source(created, disk.pool()), disk.bus(), HardwareEdits.targets(next, live));
                    hotplug(liveCalls, running, element);
                } finally {
                    pool.free();
                }
            }
            case HardwareEdit.AttachDisk disk -> {
                var source = volume(connect, disk.pool(), disk.volume());
                requireNotAttached(next, source);
                if (disk.exclusive()) {
                    requireUnused(connect, domain, disk, source);
                }
                var element =
                        HardwareEdits.addDisk(next, "disk", source, disk.bus(), HardwareEdits.targets(next, live));
                hotplug(liveCalls, running, element);
            }
            case HardwareEdit.DetachDisk disk -> {
                var element = HardwareEdits.device(next, "disk", disk.target());
                element.getParentNode().removeChild(element);
                unplug(liveCalls, live, "disk", disk.target());
            }
            case HardwareEdit.ResizeDisk disk -> {
                redefine = false; // the size lives in the volume, not in the definition
                resize(connect, domain, next, running, disk);
            }
            case HardwareEdit.DiskBus bus ->
                HardwareEdits.changeBus(next, bus.target(), bus.bus(), HardwareEdits.targets(next, live));
            case HardwareEdit.Media media -> {
                var source = media.volume() == null ? null : volume(connect, media.pool(), media.volume());
                HardwareEdits.setMedia(HardwareEdits.device(next, "disk", media.target()), source);
                if (running) {
                    HardwareEdits.find(live, "disk", media.target()).ifPresent(drive -> {
                        HardwareEdits.setMedia(drive, source);
                        String xml = HardwareEdits.serializeElement(drive);
                        liveCalls.add(d -> d.updateDeviceFlags(xml, AFFECT_LIVE | MODIFY_FORCE));
                    });
                }
            }
            case HardwareEdit.AddCdrom cdrom ->
                HardwareEdits.addDisk(next, "cdrom", null, cdrom.bus(), HardwareEdits.targets(next, live));
            case HardwareEdit.AddNic nic -> {
                String mac = nic.nic().mac() == null
                        ? HardwareEdits.newMac(HardwareEdits.macs(next, live))
                        : nic.nic().mac().toLowerCase(Locale.ROOT);
                hotplug(liveCalls, running, HardwareEdits.addNic(next, nic.nic(), mac));
            }
            case HardwareEdit.ChangeNic nic -> HardwareEdits.changeNic(next, nic.mac(), nic.nic());
            case HardwareEdit.RemoveNic nic -> {
                var element = HardwareEdits.device(next, "interface", nic.mac());
                element.getParentNode().removeChild(element);
                unplug(liveCalls, live, "interface", nic.mac());
            }
            case HardwareEdit.BootOrder order -> HardwareEdits.bootOrder(next, order.devices());
        }
        if (redefine) {
            define(connect, next, created);
        }
        var notes = new ArrayList<String>();
        for (var call : liveCalls) {
            try {
                call.apply(domain);
            } catch (LibvirtException e) {
                notes.add("The running machine did not take the change now (" + LibvirtErrors.detail(e.getError())
                        + ").");
            } catch (HypervisorException e) {
                notes.add("The running machine did not take the change now (" + e.getMessage() + ")");
            }
        }
        var pending = new ArrayList<>(read(domain).pending());
        if (!pending.isEmpty()) {
            pending.addAll(notes);
        }
        return new EditOutcome(pending);
    }

    private static void define(PortalConnect connect, Document next, StorageVol created) throws LibvirtException {
        try {
            connect.domainDefineXML(DomainXml.serialize(next, false)).free();
        } catch (LibvirtException | RuntimeException e) {
            if (created != null) {
                // The volume was made for this disk a moment ago and holds nothing yet: do not leave it behind.
                try {
                    created.delete(0);
                } catch (LibvirtException ignored) {
                    // the definition's error is the one to report
                }
            }
            throw e;
        } finally {
            if (created != null) {
                created.free();
            }
        }
    }

    private static void hotplug(List<LiveCall> liveCalls, boolean running, org.w3c.dom.Element device) {
        if (running) {
            String xml = HardwareEdits.forHotplug(device);
            liveCalls.add(d -> d.attachDeviceFlags(xml, AFFECT_LIVE));
        }
    }

    private static void unplug(List<LiveCall> liveCalls, Document live, String kind, String key) {
        if (live != null) {
            HardwareEdits.find(live, kind, key).ifPresent(device -> {
                String xml = HardwareEdits.serializeElement(device);
                liveCalls.add(d -> d.detachDeviceFlags(xml, AFFECT_LIVE));
            });
        }
    }

    private static void setLiveMemory(PortalConnect connect, Domain domain, long kib) {
        Pointer pointer = lib.virDomainLookupByUUIDString(connect.nativePointer(), uuidOf(domain));
        if (pointer == null) {
            throw LibvirtErrors.translateLast("change the memory");
        }
        try {
            if (editNative.virDomainSetMemoryFlags(pointer, new NativeLong(kib), AFFECT_LIVE) < 0) {
                throw new HypervisorException(LibvirtErrors.detail(LibvirtErrors.lastError()));
            }
        } finally {
            lib.virDomainFree(pointer);
        }
    }

    private static String uuidOf(Domain domain) {
        try {
            return domain.getUUIDString();
        } catch (LibvirtException e) {
            throw LibvirtErrors.translate("identify the virtual machine", e);
        }
    }

    private static void resize(
            PortalConnect connect, Domain domain, Document next, boolean running, HardwareEdit.ResizeDisk disk)
            throws LibvirtException {
        if (running) {
            domain.blockResize(disk.target(), disk.capacityBytes(), RESIZE_BYTES);
            return;
        }
        String path = HardwareXml.source(HardwareEdits.device(next, "disk", disk.target()));
        StorageVol volume;
        try {
            volume = connect.storageVolLookupByPath(path);
        } catch (LibvirtException e) {
            throw new HypervisorException("Disk " + disk.target() + " is not in a storage pool: it can be resized"
                    + " only while the virtual machine runs.");
        }
        try {
            volume.resize(disk.capacityBytes(), 0);
        } finally {
            volume.free();
        }
    }

    private static VolumeSource volume(PortalConnect connect, String poolName, String volumeName)
            throws LibvirtException {
        var pool = connect.storagePoolLookupByName(poolName);
        try {
            var volume = pool.storageVolLookupByName(volumeName);
            try {
                return source(volume, poolName);
            } finally {
                volume.free();
            }
        } finally {
            pool.free();
        }
    }

    private static VolumeSource source(StorageVol volume, String pool) throws LibvirtException {
        var format = XmlElements.path(DomainXml.parse(volume.getXMLDesc(0)).getDocumentElement(), "target", "format");
        String formatType =
                format == null || format.getAttribute("type").isEmpty() ? "raw" : format.getAttribute("type");
        if (formatType.equals("iso")) {
            formatType = "raw"; // how QEMU reads a disc image
        }
        var type = volume.getInfo().type;
        String sourceType = type == VirStorageVolType.VIR_STORAGE_VOL_FILE
                ? "file"
                : type == VirStorageVolType.VIR_STORAGE_VOL_BLOCK ? "block" : "volume";
        return new VolumeSource(sourceType, volume.getPath(), pool, volume.getName(), formatType);
    }

    /**
     * Read inside the attaching call, on the host's thread: a domain defined or a linked clone made since the
     * choices were listed still counts.
     */
    private static void requireUnused(
            PortalConnect connect, Domain domain, HardwareEdit.AttachDisk disk, VolumeSource source)
            throws LibvirtException {
        var protections = VolumeGuard.read(connect, java.util.UUID.fromString(domain.getUUIDString()))
                .protections(source.path());
        if (!protections.isEmpty()) {
            throw new VolumeInUseException(
                    "Volume " + disk.volume() + " cannot be attached: " + String.join("; ", protections) + ".",
                    protections);
        }
    }

    private static void requireNotAttached(Document next, VolumeSource source) {
        for (var disk : XmlElements.children(XmlElements.child(next.getDocumentElement(), "devices"), "disk")) {
            String attached = HardwareXml.source(disk);
            if (Objects.equals(attached, source.path())
                    || Objects.equals(attached, source.pool() + "/" + source.volume())) {
                throw new HypervisorException(
                        "Volume " + source.volume() + " is already attached as " + HardwareXml.key(disk) + ".");
            }
        }
    }

    @Override
    public CompletableFuture<String> editableXml(DomainRef ref) {
        return hypervisor.onHost(
                ref.host(),
                host -> host.call("read the definition", HostConnection.READ_TIMEOUT, c -> {
                    var domain = c.domainLookupByUUID(ref.uuid());
                    try {
                        var document = DomainXml.parse(domain.getXMLDesc(XML_SECURE | XML_INACTIVE));
                        DomainSecrets.mask(document);
                        return DomainXml.serialize(document, true);
                    } finally {
                        domain.free();
                    }
                }));
    }

    @Override
    public String masked(String xml) {
        var document = DomainXml.parse(xml);
        DomainSecrets.mask(document);
        return DomainXml.serialize(document, true);
    }

    @Override
    public CompletableFuture<Void> defineXml(DomainRef ref, String xml) {
        return hypervisor.onHost(
                ref.host(),
                host -> host.onDomain(ref, "save the definition of", HostConnection.LIFECYCLE_TIMEOUT, domain -> {
                    var connect = (PortalConnect) domain.getConnect();
                    var current = DomainXml.parse(domain.getXMLDesc(XML_SECURE | XML_INACTIVE));
                    var edited = EditedDomainXml.check(xml, current);
                    Pointer defined = editNative.virDomainDefineXMLFlags(
                            connect.nativePointer(),
                            DomainXml.serialize(edited, false),
                            DomainEditNative.DEFINE_VALIDATE);
                    if (defined == null) {
                        throw DomainSecrets.withoutSecrets(LibvirtErrors.translateLast("save the definition"), edited);
                    }
                    lib.virDomainFree(defined);
                }));
    }
}
