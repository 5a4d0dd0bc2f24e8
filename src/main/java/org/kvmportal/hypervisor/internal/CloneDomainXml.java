package org.kvmportal.hypervisor.internal;

import static org.kvmportal.hypervisor.internal.XmlElements.child;
import static org.kvmportal.hypervisor.internal.XmlElements.children;

import java.util.Iterator;
import java.util.Map;
import org.kvmportal.hypervisor.NewVm;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Turns a copy of a domain's definition into a new domain's: new name, UUID, description, size and MAC
 * addresses, its writable disks pointed at the new volumes, and whatever would clash with the original (NIC
 * device names, the NVRAM file, a fixed VNC port, serial log files, the SMBIOS UUID) reset. Everything else
 * (devices, kernel, metadata) is kept as it is, as virt-clone does.
 */
final class CloneDomainXml {

    private CloneDomainXml() {}

    /**
     * @param original the original's persistent definition (with secrets), changed in place
     * @param disks new volume per disk target name ({@code vda}), for every disk {@link #clonedDisks} named
     */
    static void apply(Document original, NewVm spec, Map<String, NewDomainXml.VolumeRef> disks, Iterator<String> macs) {
        Element root = original.getDocumentElement();
        String oldName = XmlElements.text(root, "name");
        root.removeAttribute("id");
        child(root, "name").setTextContent(spec.name());
        XmlElements.ensure(root, "uuid").setTextContent(spec.uuid().toString());
        DomainXml.setDescription(original, spec.description());
        size(root, spec);
        var os = child(root, "os");
        if (os != null) {
            // libvirt makes the new domain its own NVRAM (UEFI variables) from the firmware's template.
            XmlElements.removeAll(os, "nvram");
        }
        var sysinfo = child(root, "sysinfo");
        if (sysinfo != null && child(sysinfo, "system") != null) {
            var system = child(sysinfo, "system");
            children(system, "entry").stream()
                    .filter(entry -> entry.getAttribute("name").equals("uuid"))
                    .forEach(system::removeChild);
        }
        var devices = child(root, "devices");
        if (devices == null) {
            return;
        }
        for (var disk : clonedDisks(devices)) {
            var volume = disks.get(targetOf(disk));
            disk.setAttribute("type", "volume");
            XmlElements.removeAll(disk, "backingStore");
            XmlElements.removeAll(disk, "source");
            var source = original.createElement("source");
            source.setAttribute("pool", volume.pool());
            source.setAttribute("volume", volume.volume());
            var driver = XmlElements.ensure(disk, "driver");
            driver.setAttribute("name", "qemu");
            driver.setAttribute("type", volume.format());
            disk.insertBefore(source, driver.getNextSibling());
        }
        for (var nic : children(devices, "interface")) {
            XmlElements.ensure(nic, "mac").setAttribute("address", macs.next());
            XmlElements.removeAll(nic, "target");
        }
        for (var graphics : children(devices, "graphics")) {
            if (!"yes".equals(graphics.getAttribute("autoport")) && graphics.hasAttribute("port")) {
                graphics.setAttribute("autoport", "yes");
                graphics.removeAttribute("port");
                graphics.removeAttribute("websocket");
            }
        }
        for (String kind : new String[] {"serial", "console"}) {
            for (var device : children(devices, kind)) {
                var log = child(device, "log");
                if (log != null && !log.getAttribute("file").isEmpty()) {
                    log.setAttribute("file", logFile(log.getAttribute("file"), oldName, spec.name()));
                }
            }
        }
    }

    /** The disks a copy gets new volumes for: writable, not shared, with a source. CD-ROMs stay as they are. */
    static java.util.List<Element> clonedDisks(Element devices) {
        return children(devices, "disk").stream()
                .filter(disk -> !disk.getAttribute("device").equals("cdrom")
                        && !disk.getAttribute("device").equals("floppy"))
                .filter(disk -> child(disk, "readonly") == null && child(disk, "shareable") == null)
                .filter(disk -> child(disk, "source") != null)
                .toList();
    }

    static String targetOf(Element disk) {
        var target = child(disk, "target");
        return target == null ? "" : target.getAttribute("dev");
    }

    static int nicCount(Document original) {
        var devices = child(original.getDocumentElement(), "devices");
        return devices == null ? 0 : children(devices, "interface").size();
    }

    private static void size(Element root, NewVm spec) {
        var vcpu = XmlElements.ensure(root, "vcpu");
        vcpu.setTextContent(Integer.toString(spec.vcpus()));
        vcpu.removeAttribute("current");
        XmlElements.removeAll(root, "vcpus"); // per-vCPU settings for the old count
        var cpu = child(root, "cpu");
        if (cpu != null) {
            XmlElements.removeAll(cpu, "topology"); // sockets x cores x threads must equal the count
        }
        for (String name : new String[] {"memory", "currentMemory"}) {
            var memory = XmlElements.ensure(root, name);
            memory.setAttribute("unit", "MiB");
            memory.setTextContent(Long.toString(spec.memoryMib()));
        }
        var max = child(root, "maxMemory");
        if (max != null) {
            // Memory hotplug's ceiling; domain memory sizes default to KiB.
            String unit = max.getAttribute("unit").isEmpty() ? "KiB" : max.getAttribute("unit");
            max.setAttribute("unit", unit);
            long maxBytes = XmlElements.bytes(root, "maxMemory");
            if (maxBytes >= 0 && maxBytes < spec.memoryMib() << 20) {
                root.removeChild(max);
            }
        }
    }

    /** The original's log file renamed for the copy (two domains writing one log would mix their output). */
    static String logFile(String path, String oldName, String newName) {
        int slash = path.lastIndexOf('/');
        String dir = path.substring(0, slash + 1);
        String file = path.substring(slash + 1);
        return dir
                + (!oldName.isEmpty() && file.contains(oldName)
                        ? file.replace(oldName, newName)
                        : newName + "-" + file);
    }
}
