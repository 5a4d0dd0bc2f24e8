package org.kvmportal.hypervisor.internal;

import static org.kvmportal.hypervisor.internal.ProvisioningXml.add;
import static org.kvmportal.hypervisor.internal.ProvisioningXml.addWith;

import org.kvmportal.hypervisor.Firmware;
import org.kvmportal.hypervisor.NetworkChoice;
import org.kvmportal.hypervisor.NewVm;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The definition of a domain made from scratch (installed from an ISO, or booting an imported disk), built
 * with the DOM: a name or description of any text is escaped by the serializer, never spliced into markup.
 */
final class NewDomainXml {

    static final String LIBOSINFO_NS = "http://libosinfo.org/xmlns/libvirt/domain/1.0";

    /** A disk as a volume in a pool: libvirt resolves its path, so the definition names no server path. */
    record VolumeRef(String pool, String volume, String format) {}

    private NewDomainXml() {}

    /**
     * @param installer the ISO in a CD-ROM drive to boot from first, or null
     * @param mac the NIC's address; unused when the spec asks for no network
     */
    static Document build(NewVm spec, HostGuest guest, VolumeRef system, VolumeRef installer, String mac) {
        Document document = ProvisioningXml.newDocument("domain");
        Element root = document.getDocumentElement();
        root.setAttribute("type", guest.domainType());
        add(root, "name", spec.name());
        add(root, "uuid", spec.uuid().toString());
        DomainXml.setDescription(document, spec.description());
        var variant = spec.osVariant();
        if (variant.libosinfoId() != null) {
            var info = document.createElementNS(LIBOSINFO_NS, "libosinfo:libosinfo");
            var os = document.createElementNS(LIBOSINFO_NS, "libosinfo:os");
            os.setAttribute("id", variant.libosinfoId());
            info.appendChild(os);
            add(root, "metadata").appendChild(info);
        }
        addWith(root, "memory", "unit", "MiB").setTextContent(Long.toString(spec.memoryMib()));
        addWith(root, "currentMemory", "unit", "MiB").setTextContent(Long.toString(spec.memoryMib()));
        addWith(root, "vcpu", "placement", "static").setTextContent(Integer.toString(spec.vcpus()));
        os(root, spec, guest, installer != null);
        var features = add(root, "features");
        add(features, "acpi");
        add(features, "apic");
        addWith(root, "clock", "offset", variant.windows() ? "localtime" : "utc");
        add(root, "on_poweroff", "destroy");
        add(root, "on_reboot", "restart");
        add(root, "on_crash", "destroy");
        devices(add(root, "devices"), spec, guest, system, installer, mac);
        return document;
    }

    private static void os(Element root, NewVm spec, HostGuest guest, boolean installer) {
        var os = add(root, "os");
        if (spec.firmware() == Firmware.UEFI) {
            // libvirt picks the OVMF build and makes the domain's own NVRAM from its template.
            os.setAttribute("firmware", "efi");
        }
        var type = addWith(os, "type", "arch", guest.arch());
        if (guest.machine() != null) {
            type.setAttribute("machine", guest.machine());
        }
        type.setTextContent("hvm");
        if (installer) {
            addWith(os, "boot", "dev", "cdrom");
        }
        addWith(os, "boot", "dev", "hd");
    }

    private static void devices(
            Element devices, NewVm spec, HostGuest guest, VolumeRef system, VolumeRef installer, String mac) {
        boolean virtio = spec.osVariant().virtio();
        disk(devices, "disk", system, virtio ? "vda" : "sda", virtio ? "virtio" : "sata");
        if (installer != null) {
            var cdrom = disk(devices, "cdrom", installer, virtio ? "sda" : "sdb", "sata");
            add(cdrom, "readonly");
        }
        if (!(spec.network() instanceof NetworkChoice.None)) {
            Element nic;
            if (spec.network() instanceof NetworkChoice.Libvirt network) {
                nic = addWith(devices, "interface", "type", "network");
                addWith(nic, "mac", "address", mac);
                addWith(nic, "source", "network", network.name());
            } else {
                nic = addWith(devices, "interface", "type", "user");
                addWith(nic, "mac", "address", mac);
            }
            addWith(nic, "model", "type", virtio ? "virtio" : "q35".equals(guest.machine()) ? "e1000e" : "e1000");
        }
        var serial = addWith(devices, "serial", "type", "pty");
        addWith(serial, "target", "port", "0");
        var console = addWith(devices, "console", "type", "pty");
        addWith(console, "target", "type", "serial", "port", "0");
        addWith(devices, "input", "type", "tablet", "bus", "usb");
        var graphics =
                addWith(devices, "graphics", "type", "vnc", "port", "-1", "autoport", "yes", "listen", "127.0.0.1");
        addWith(graphics, "listen", "type", "address", "address", "127.0.0.1");
        var video = add(devices, "video");
        addWith(video, "model", "type", "vga", "vram", "16384", "heads", "1", "primary", "yes");
        addWith(devices, "memballoon", "model", virtio ? "virtio" : "none");
    }

    private static Element disk(Element devices, String device, VolumeRef volume, String target, String bus) {
        var disk = addWith(devices, "disk", "type", "volume", "device", device);
        addWith(disk, "driver", "name", "qemu", "type", volume.format());
        addWith(disk, "source", "pool", volume.pool(), "volume", volume.volume());
        addWith(disk, "target", "dev", target, "bus", bus);
        return disk;
    }
}
