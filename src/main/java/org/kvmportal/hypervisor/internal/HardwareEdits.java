package org.kvmportal.hypervisor.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.kvmportal.hypervisor.HardwareEdit;
import org.kvmportal.hypervisor.HypervisorException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Hardware edits made to a domain definition's DOM. Each returns the element it added or changed, so that the
 * same device can be handed to a running domain.
 */
final class HardwareEdits {

    /** Where a volume's data is, as a disk's {@code <source>} names it. */
    record VolumeSource(String type, String path, String pool, String volume, String format) {}

    private HardwareEdits() {}

    static void processorsAndMemory(Document xml, HardwareEdit.ProcessorsAndMemory edit) {
        var root = xml.getDocumentElement();
        var vcpu = XmlElements.ensure(root, "vcpu");
        vcpu.setTextContent(Integer.toString(edit.maxVcpus()));
        if (edit.vcpus() < edit.maxVcpus()) {
            vcpu.setAttribute("current", Integer.toString(edit.vcpus()));
        } else {
            vcpu.removeAttribute("current");
        }
        setKiB(XmlElements.ensure(root, "memory"), edit.maxMemoryKiB());
        setKiB(XmlElements.ensure(root, "currentMemory"), edit.memoryKiB());
    }

    private static void setKiB(Element element, long kib) {
        element.setAttribute("unit", "KiB");
        element.setTextContent(Long.toString(kib));
    }

    /**
     * Adds a disk or CD-ROM drive on {@code bus} with the first free target name of that bus.
     *
     * @param source null for a drive without medium
     * @param taken target names in use (the running domain's too), so that a hot-plugged disk does not clash
     */
    static Element addDisk(Document xml, String device, VolumeSource source, String bus, Set<String> taken) {
        var devices = XmlElements.ensure(xml.getDocumentElement(), "devices");
        var disk = xml.createElement("disk");
        disk.setAttribute("type", source == null ? "file" : source.type());
        disk.setAttribute("device", device);
        var driver = XmlElements.append(disk, "driver");
        driver.setAttribute("name", "qemu");
        driver.setAttribute("type", source == null ? "raw" : source.format());
        if (source != null) {
            setSource(disk, source);
        }
        var target = XmlElements.append(disk, "target");
        target.setAttribute("dev", freeTarget(bus, taken));
        target.setAttribute("bus", bus);
        if (device.equals("cdrom")) {
            XmlElements.append(disk, "readonly");
        }
        // Before the first non-disk device: libvirt lists disks first, and so does the details page.
        var firstOther = XmlElements.childElements(devices).stream()
                .filter(element -> !element.getTagName().equals("disk")
                        && !element.getTagName().equals("emulator"))
                .findFirst()
                .orElse(null);
        devices.insertBefore(disk, firstOther);
        return disk;
    }

    static void setMedia(Element disk, VolumeSource source) {
        XmlElements.removeAll(disk, "source");
        if (source != null) {
            disk.setAttribute("type", source.type());
            var driver = XmlElements.child(disk, "driver");
            if (driver != null) {
                driver.setAttribute("type", source.format());
            }
            setSource(disk, source);
        }
    }

    private static void setSource(Element disk, VolumeSource source) {
        var element = disk.getOwnerDocument().createElement("source");
        switch (source.type()) {
            case "block" -> element.setAttribute("dev", source.path());
            case "volume" -> {
                element.setAttribute("pool", source.pool());
                element.setAttribute("volume", source.volume());
            }
            default -> element.setAttribute("file", source.path());
        }
        disk.insertBefore(element, XmlElements.child(disk, "target"));
    }

    /** Moves a disk to another bus: a target name of that bus, and no address (the old one was the old bus's). */
    static String changeBus(Document xml, String target, String bus, Set<String> taken) {
        var disk = device(xml, "disk", target);
        var element = XmlElements.child(disk, "target");
        var others = new HashSet<>(taken);
        others.remove(target);
        String renamed = freeTarget(bus, others);
        element.setAttribute("dev", renamed);
        element.setAttribute("bus", bus);
        XmlElements.removeAll(disk, "address");
        return renamed;
    }

    static Element addNic(Document xml, HardwareEdit.Nic nic, String mac) {
        var devices = XmlElements.ensure(xml.getDocumentElement(), "devices");
        var element = xml.createElement("interface");
        XmlElements.append(element, "mac").setAttribute("address", mac);
        configureNic(element, nic);
        var firstAfter = XmlElements.childElements(devices).stream()
                .filter(device -> List.of("serial", "console", "channel", "input", "graphics", "video", "memballoon")
                        .contains(device.getTagName()))
                .findFirst()
                .orElse(null);
        devices.insertBefore(element, firstAfter);
        return element;
    }

    static void changeNic(Document xml, String mac, HardwareEdit.Nic nic) {
        var element = device(xml, "interface", mac);
        configureNic(element, nic);
        if (nic.mac() != null && !nic.mac().equalsIgnoreCase(mac)) {
            XmlElements.ensure(element, "mac").setAttribute("address", nic.mac());
        }
    }

    private static void configureNic(Element element, HardwareEdit.Nic nic) {
        XmlElements.removeAll(element, "source");
        if (nic.network() == null) {
            element.setAttribute("type", "user");
        } else {
            element.setAttribute("type", "network");
            var source = element.getOwnerDocument().createElement("source");
            source.setAttribute("network", nic.network());
            element.insertBefore(
                    source,
                    XmlElements.child(element, "mac") == null
                            ? element.getFirstChild()
                            : XmlElements.child(element, "mac").getNextSibling());
        }
        XmlElements.ensure(element, "model").setAttribute("type", nic.model());
    }

    static void bootOrder(Document xml, List<String> devices) {
        var root = xml.getDocumentElement();
        var os = XmlElements.child(root, "os");
        if (os != null) {
            XmlElements.removeAll(os, "boot");
        }
        var all = XmlElements.child(root, "devices");
        for (var device : XmlElements.childElements(all)) {
            XmlElements.removeAll(device, "boot");
        }
        int order = 1;
        for (String key : devices) {
            var device = XmlElements.childElements(all).stream()
                    .filter(element -> key.equalsIgnoreCase(HardwareXml.key(element)))
                    .findFirst()
                    .orElseThrow(() -> new HypervisorException("The virtual machine has no device " + key + "."));
            XmlElements.append(device, "boot").setAttribute("order", Integer.toString(order++));
        }
    }

    /** A disk by its target or a NIC by its MAC; fails with a plain message when there is none. */
    static Element device(Document xml, String kind, String key) {
        return find(xml, kind, key)
                .orElseThrow(() -> new HypervisorException("The virtual machine has no "
                        + (kind.equals("disk") ? "disk " : "network interface ") + key + "."));
    }

    static java.util.Optional<Element> find(Document xml, String kind, String key) {
        return XmlElements.children(XmlElements.child(xml.getDocumentElement(), "devices"), kind).stream()
                .filter(element -> key.equalsIgnoreCase(HardwareXml.key(element)))
                .findFirst();
    }

    /** A copy of a device without its address, for a running domain that places it itself. */
    static String forHotplug(Element device) {
        var copy = (Element) device.cloneNode(true);
        XmlElements.removeAll(copy, "address");
        XmlElements.removeAll(copy, "alias");
        return serializeElement(copy);
    }

    static String serializeElement(Element element) {
        try {
            var document = javax.xml.parsers.DocumentBuilderFactory.newInstance()
                    .newDocumentBuilder()
                    .newDocument();
            document.appendChild(document.importNode(element, true));
            return DomainXml.serialize(document, false);
        } catch (javax.xml.parsers.ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Target names of all disks in these definitions. */
    static Set<String> targets(Document... xmls) {
        var taken = new HashSet<String>();
        for (var xml : xmls) {
            if (xml == null) {
                continue;
            }
            for (var disk : XmlElements.children(XmlElements.child(xml.getDocumentElement(), "devices"), "disk")) {
                var key = HardwareXml.key(disk);
                if (key != null) {
                    taken.add(key);
                }
            }
        }
        return taken;
    }

    static Set<String> macs(Document... xmls) {
        var taken = new HashSet<String>();
        for (var xml : xmls) {
            if (xml == null) {
                continue;
            }
            for (var nic : XmlElements.children(XmlElements.child(xml.getDocumentElement(), "devices"), "interface")) {
                var key = HardwareXml.key(nic);
                if (key != null) {
                    taken.add(key.toLowerCase(java.util.Locale.ROOT));
                }
            }
        }
        return taken;
    }

    /** A random address under QEMU's prefix 52:54:00, as libvirt itself chooses them. */
    static String newMac(Set<String> taken) {
        var random = ThreadLocalRandom.current();
        while (true) {
            String mac = String.format(
                    "52:54:00:%02x:%02x:%02x", random.nextInt(256), random.nextInt(256), random.nextInt(256));
            if (!taken.contains(mac)) {
                return mac;
            }
        }
    }

    static String freeTarget(String bus, Set<String> taken) {
        String prefix = switch (bus) {
            case "virtio" -> "vd";
            case "ide" -> "hd";
            case "xen" -> "xvd";
            default -> "sd";
        };
        for (char letter = 'a'; letter <= 'z'; letter++) {
            if (!taken.contains(prefix + letter)) {
                return prefix + letter;
            }
        }
        throw new HypervisorException("The virtual machine has no free disk name left on the " + bus + " bus.");
    }
}
