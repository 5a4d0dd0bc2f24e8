package org.kvmportal.hypervisor.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import org.kvmportal.hypervisor.DomainHardware;
import org.kvmportal.hypervisor.DomainHardware.Disk;
import org.kvmportal.hypervisor.DomainHardware.Nic;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Reads a domain's editable hardware from its XML, and says in words how a running domain differs from its
 * persistent definition (the changes that wait for the next start).
 */
final class HardwareXml {

    private HardwareXml() {}

    /** @param capacity a disk's size by target, -1 when unknown */
    static DomainHardware read(Document xml, boolean running, ToLongFunction<String> capacity, List<String> pending) {
        var root = xml.getDocumentElement();
        var type = XmlElements.path(root, "os", "type");
        var vcpu = XmlElements.child(root, "vcpu");
        int maxVcpus = vcpu == null ? 1 : Integer.parseInt(vcpu.getTextContent().strip());
        int vcpus = vcpu == null || vcpu.getAttribute("current").isEmpty()
                ? maxVcpus
                : Integer.parseInt(vcpu.getAttribute("current"));
        long maxMemory = kib(XmlElements.child(root, "memory"), 0);
        long memory = kib(XmlElements.child(root, "currentMemory"), maxMemory);
        var description = XmlElements.child(root, "description");
        return new DomainHardware(
                XmlElements.text(root, "name"),
                running,
                root.getAttribute("type"),
                type == null ? "" : type.getAttribute("arch"),
                type == null ? "" : type.getAttribute("machine"),
                vcpus,
                maxVcpus,
                memory,
                maxMemory,
                disks(root, capacity),
                nics(root),
                bootOrder(root),
                description == null ? "" : description.getTextContent(),
                pending);
    }

    private static List<Disk> disks(Element root, ToLongFunction<String> capacity) {
        var disks = new ArrayList<Disk>();
        for (var disk : XmlElements.children(XmlElements.child(root, "devices"), "disk")) {
            var target = XmlElements.child(disk, "target");
            String dev = target == null ? "" : target.getAttribute("dev");
            String source = source(disk);
            disks.add(new Disk(
                    dev,
                    disk.getAttribute("device").isEmpty() ? "disk" : disk.getAttribute("device"),
                    target == null ? "" : target.getAttribute("bus"),
                    source,
                    source.isEmpty() || dev.isEmpty() ? -1 : capacity.applyAsLong(dev),
                    XmlElements.child(disk, "readonly") != null));
        }
        return disks;
    }

    static String source(Element disk) {
        var source = XmlElements.child(disk, "source");
        if (source == null) {
            return "";
        }
        if (!source.getAttribute("volume").isEmpty()) {
            return source.getAttribute("pool") + "/" + source.getAttribute("volume");
        }
        for (String attribute : List.of("file", "dev", "name", "dir")) {
            if (!source.getAttribute(attribute).isEmpty()) {
                return source.getAttribute(attribute);
            }
        }
        return "";
    }

    private static List<Nic> nics(Element root) {
        var nics = new ArrayList<Nic>();
        for (var nic : XmlElements.children(XmlElements.child(root, "devices"), "interface")) {
            var mac = XmlElements.child(nic, "mac");
            var source = XmlElements.child(nic, "source");
            var model = XmlElements.child(nic, "model");
            nics.add(new Nic(
                    mac == null ? "" : mac.getAttribute("address"),
                    nic.getAttribute("type"),
                    source == null
                            ? ""
                            : first(
                                    source.getAttribute("network"),
                                    source.getAttribute("bridge"),
                                    source.getAttribute("dev")),
                    model == null ? "" : model.getAttribute("type")));
        }
        return nics;
    }

    /**
     * Per-device {@code <boot order>} when the definition has it; otherwise the {@code <os><boot dev>} list,
     * each kind standing for the first device of that kind.
     */
    static List<String> bootOrder(Element root) {
        var devices = XmlElements.child(root, "devices");
        var ordered = new ArrayList<Map.Entry<Integer, String>>();
        for (var device : XmlElements.childElements(devices)) {
            var boot = XmlElements.child(device, "boot");
            String key = key(device);
            if (boot != null && key != null && !boot.getAttribute("order").isEmpty()) {
                ordered.add(Map.entry(Integer.parseInt(boot.getAttribute("order")), key));
            }
        }
        if (!ordered.isEmpty()) {
            return ordered.stream()
                    .sorted(Comparator.comparing(Map.Entry::getKey))
                    .map(Map.Entry::getValue)
                    .toList();
        }
        var result = new ArrayList<String>();
        var os = XmlElements.child(root, "os");
        for (var boot : XmlElements.children(os, "boot")) {
            String first = switch (boot.getAttribute("dev")) {
                case "hd" -> firstDisk(devices, "disk");
                case "cdrom" -> firstDisk(devices, "cdrom");
                case "fd" -> firstDisk(devices, "floppy");
                case "network" ->
                    XmlElements.children(devices, "interface").stream()
                            .map(HardwareXml::key)
                            .filter(Objects::nonNull)
                            .findFirst()
                            .orElse(null);
                default -> null;
            };
            if (first != null && !result.contains(first)) {
                result.add(first);
            }
        }
        return result;
    }

    /** How boot order and edits name a device: a disk by its target, a NIC by its MAC. */
    static String key(Element device) {
        if (device.getTagName().equals("disk")) {
            var target = XmlElements.child(device, "target");
            return target == null ? null : target.getAttribute("dev");
        }
        if (device.getTagName().equals("interface")) {
            var mac = XmlElements.child(device, "mac");
            return mac == null ? null : mac.getAttribute("address");
        }
        return null;
    }

    private static String firstDisk(Element devices, String kind) {
        return XmlElements.children(devices, "disk").stream()
                .filter(disk ->
                        (disk.getAttribute("device").isEmpty() ? "disk" : disk.getAttribute("device")).equals(kind))
                .map(HardwareXml::key)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
    }

    /** What the running domain (live) lacks of the persistent definition (next), in words. */
    static List<String> pending(DomainHardware live, DomainHardware next) {
        var pending = new ArrayList<String>();
        if (live.vcpus() != next.vcpus()) {
            pending.add("vCPUs: " + live.vcpus() + " now, " + next.vcpus() + " after the next start");
        }
        if (live.maxVcpus() != next.maxVcpus()) {
            pending.add("Maximum vCPUs: " + live.maxVcpus() + " now, " + next.maxVcpus() + " after the next start");
        }
        if (live.memoryKiB() != next.memoryKiB()) {
            pending.add(
                    "Memory: " + mib(live.memoryKiB()) + " now, " + mib(next.memoryKiB()) + " after the next start");
        }
        if (live.maxMemoryKiB() != next.maxMemoryKiB()) {
            pending.add("Maximum memory: " + mib(live.maxMemoryKiB()) + " now, " + mib(next.maxMemoryKiB())
                    + " after the next start");
        }
        var liveDisks = byKey(live.disks(), Disk::target);
        var nextDisks = byKey(next.disks(), Disk::target);
        nextDisks.forEach((target, disk) -> {
            var now = liveDisks.get(target);
            String what = (disk.isCdrom() ? "CD-ROM " : "Disk ") + target;
            if (now == null) {
                pending.add(what + ": added at the next start");
            } else if (!now.bus().equals(disk.bus())) {
                pending.add(what + ": on " + disk.bus() + " after the next start");
            } else if (!now.source().equals(disk.source())) {
                // the file name only: the list is shown to the VM's managers, who need not see host paths
                pending.add(what + ": " + (disk.source().isEmpty() ? "no medium" : fileName(disk.source()))
                        + " after the next start");
            }
        });
        liveDisks.keySet().stream()
                .filter(target -> !nextDisks.containsKey(target))
                .forEach(target -> pending.add((liveDisks.get(target).isCdrom() ? "CD-ROM " : "Disk ") + target
                        + ": removed at the next start"));
        var liveNics = byKey(live.nics(), nic -> nic.mac().toLowerCase(java.util.Locale.ROOT));
        var nextNics = byKey(next.nics(), nic -> nic.mac().toLowerCase(java.util.Locale.ROOT));
        nextNics.forEach((mac, nic) -> {
            var now = liveNics.get(mac);
            if (now == null) {
                pending.add("Network interface " + mac + ": added at the next start");
            } else if (!now.source().equals(nic.source()) || !now.type().equals(nic.type())) {
                pending.add("Network interface " + mac + ": on " + (nic.source().isEmpty() ? nic.type() : nic.source())
                        + " after the next start");
            } else if (!now.model().equals(nic.model())) {
                pending.add("Network interface " + mac + ": model " + nic.model() + " after the next start");
            }
        });
        liveNics.keySet().stream()
                .filter(mac -> !nextNics.containsKey(mac))
                .forEach(mac -> pending.add("Network interface " + mac + ": removed at the next start"));
        if (!live.bootOrder().equals(next.bootOrder())) {
            pending.add("Boot order: " + (next.bootOrder().isEmpty() ? "default" : String.join(", ", next.bootOrder()))
                    + " from the next start");
        }
        return pending;
    }

    private static <T> Map<String, T> byKey(List<T> items, Function<T, String> key) {
        return items.stream()
                .collect(Collectors.toMap(key, Function.identity(), (a, b) -> a, java.util.LinkedHashMap::new));
    }

    static String mib(long kib) {
        return kib % 1024 == 0 ? kib / 1024 + " MiB" : kib + " KiB";
    }

    /** libvirt writes sizes in KiB; hand-written XML may use another unit. */
    static long kib(Element element, long otherwise) {
        if (element == null) {
            return otherwise;
        }
        long value = Long.parseLong(element.getTextContent().strip());
        String unit = element.getAttribute("unit");
        return switch (unit.isEmpty() ? "KiB" : unit) {
            case "b", "bytes" -> value / 1024;
            case "KB" -> value * 1000 / 1024;
            case "k", "KiB" -> value;
            case "MB" -> value * 1_000_000 / 1024;
            case "M", "MiB" -> value * 1024;
            case "GB" -> value * 1_000_000_000 / 1024;
            case "G", "GiB" -> value * 1024 * 1024;
            default -> value;
        };
    }

    private static String first(String... values) {
        for (String value : values) {
            if (!value.isEmpty()) {
                return value;
            }
        }
        return "";
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
