package org.kvmportal.hypervisor.internal;

import static org.kvmportal.hypervisor.internal.XmlElements.append;
import static org.kvmportal.hypervisor.internal.XmlElements.appendWith;

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
        Document document = XmlElements.newDocument("domain");
        Element root = document.getDocumentElement();
        root.setAttribute("type", guest.domainType());
        append(root, "name", spec.name());
        append(root, "uuid", spec.uuid().toString());
        DomainXml.setDescription(document, spec.description());
        var variant = spec.osVariant();
        if (variant.libosinfoId() != null) {
            var info = document.createElementNS(LIBOSINFO_NS, "libosinfo:libosinfo");
            var os = document.createElementNS(LIBOSINFO_NS, "libosinfo:os");
            os.setAttribute("id", variant.libosinfoId());
            info.appendChild(os);
            append(root, "metadata").appendChild(info);
        }
        appendWith(root, "memory", "unit", "MiB").setTextContent(Long.toString(spec.memoryMib()));
        appendWith(root, "currentMemory", "unit", "MiB").setTextContent(Long.toString(spec.memoryMib()));
        appendWith(root, "vcpu", "placement", "static").setTextContent(Integer.toString(spec.vcpus()));
        os(root, spec, guest, installer != null);
        var features = append(root, "features");
        append(features, "acpi");
        append(features, "apic");
        appendWith(root, "clock", "offset", variant.windows() ? "localtime" : "utc");
        append(root, "on_poweroff", "destroy");
        append(root, "on_reboot", "restart");
        append(root, "on_crash", "destroy");
        devices(append(root, "devices"), spec, guest, system, installer, mac);
        return document;
    }

    private static void os(Element root, NewVm spec, HostGuest guest, boolean installer) {
        var os = append(root, "os");
        if (spec.firmware() == Firmware.UEFI) {
            // libvirt picks the OVMF build and makes the domain's own NVRAM from its template.
            os.setAttribute("firmware", "efi");
        }
        var type = appendWith(os, "type", "arch", guest.arch());
        if (guest.machine() != null) {
            type.setAttribute("machine", guest.machine());
        }
        type.setTextContent("hvm");
        if (installer) {
            appendWith(os, "boot", "dev", "cdrom");
        }
        appendWith(os, "boot", "dev", "hd");
    }

    private static void devices(
            Element devices, NewVm spec, HostGuest guest, VolumeRef system, VolumeRef installer, String mac) {
        boolean virtio = spec.osVariant().virtio();
        disk(devices, "disk", system, virtio ? "vda" : "sda", virtio ? "virtio" : "sata");
        if (installer != null) {
            var cdrom = disk(devices, "cdrom", installer, virtio ? "sda" : "sdb", "sata");
            append(cdrom, "readonly");
        }
        if (!(spec.network() instanceof NetworkChoice.None)) {
            Element nic;
            if (spec.network() instanceof NetworkChoice.Libvirt network) {
                nic = appendWith(devices, "interface", "type", "network");
                appendWith(nic, "mac", "address", mac);
                appendWith(nic, "source", "network", network.name());
            } else {
                nic = appendWith(devices, "interface", "type", "user");
                appendWith(nic, "mac", "address", mac);
            }
            appendWith(nic, "model", "type", virtio ? "virtio" : "q35".equals(guest.machine()) ? "e1000e" : "e1000");
        }
        var serial = appendWith(devices, "serial", "type", "pty");
        appendWith(serial, "target", "port", "0");
        var console = appendWith(devices, "console", "type", "pty");
        appendWith(console, "target", "type", "serial", "port", "0");
        appendWith(devices, "input", "type", "tablet", "bus", "usb");
        var graphics =
                appendWith(devices, "graphics", "type", "vnc", "port", "-1", "autoport", "yes", "listen", "127.0.0.1");
        appendWith(graphics, "listen", "type", "address", "address", "127.0.0.1");
        var video = append(devices, "video");
        appendWith(video, "model", "type", "vga", "vram", "16384", "heads", "1", "primary", "yes");
        appendWith(devices, "memballoon", "model", virtio ? "virtio" : "none");
    }

    private static Element disk(Element devices, String device, VolumeRef volume, String target, String bus) {
        var disk = appendWith(devices, "disk", "type", "volume", "device", device);
        appendWith(disk, "driver", "name", "qemu", "type", volume.format());
        appendWith(disk, "source", "pool", volume.pool(), "volume", volume.volume());
        appendWith(disk, "target", "dev", target, "bus", bus);
        return disk;
    }
}
