package org.kvmportal.hypervisor.internal;

import static org.kvmportal.hypervisor.internal.XmlElements.child;
import static org.kvmportal.hypervisor.internal.XmlElements.children;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.kvmportal.hypervisor.DomainDetails;
import org.kvmportal.hypervisor.DomainDetails.Disk;
import org.kvmportal.hypervisor.DomainDetails.Graphics;
import org.kvmportal.hypervisor.DomainDetails.Nic;
import org.kvmportal.hypervisor.DomainSummary;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** Reads the parts of a domain's XML the details page shows. */
final class DomainXmlReader {

    private DomainXmlReader() {}

    /** @param capacity the size of a disk by its target name (e.g. {@code vda}), -1 when unknown */
    static DomainDetails read(
            DomainSummary summary,
            Document xml,
            ToLongFunction<String> capacity,
            Map<String, List<String>> addressesByMac) {
        var root = xml.getDocumentElement();
        var os = child(root, "os");
        var type = os == null ? null : child(os, "type");
        String osType = type == null ? "" : type.getTextContent().strip();
        if (type != null && !type.getAttribute("machine").isEmpty()) {
            osType += " (" + type.getAttribute("machine") + ")";
        }
        var description = child(root, "description");
        var devices = child(root, "devices");
        return new DomainDetails(
                summary,
                osType,
                description == null ? "" : description.getTextContent(),
                devices == null ? List.of() : disks(devices, capacity),
                devices == null ? List.of() : nics(devices, addressesByMac),
                devices == null ? List.of() : graphics(devices));
    }

    private static List<Disk> disks(Element devices, ToLongFunction<String> capacity) {
        var disks = new ArrayList<Disk>();
        for (var disk : children(devices, "disk")) {
            var target = child(disk, "target");
            var source = child(disk, "source");
            String targetName = target == null ? "" : target.getAttribute("dev");
            String sourceName = source == null
                    ? ""
                    : firstNonEmpty(
                            source.getAttribute("file"),
                            source.getAttribute("dev"),
                            source.getAttribute("volume"),
                            source.getAttribute("name"));
            disks.add(new Disk(
                    targetName,
                    disk.getAttribute("device"),
                    target == null ? "" : target.getAttribute("bus"),
                    sourceName,
                    sourceName.isEmpty() || targetName.isEmpty() ? -1 : capacity.applyAsLong(targetName)));
        }
        return disks;
    }

    private static List<Nic> nics(Element devices, Map<String, List<String>> addressesByMac) {
        var nics = new ArrayList<Nic>();
        for (var nic : children(devices, "interface")) {
            var mac = child(nic, "mac");
            var source = child(nic, "source");
            var model = child(nic, "model");
            String address = mac == null ? "" : mac.getAttribute("address");
            nics.add(new Nic(
                    address,
                    nic.getAttribute("type"),
                    source == null
                            ? ""
                            : firstNonEmpty(
                                    source.getAttribute("network"),
                                    source.getAttribute("bridge"),
                                    source.getAttribute("dev")),
                    model == null ? "" : model.getAttribute("type"),
                    addressesByMac.getOrDefault(address.toLowerCase(Locale.ROOT), List.of())));
        }
        return nics;
    }

    private static List<Graphics> graphics(Element devices) {
        var graphics = new ArrayList<Graphics>();
        for (var element : children(devices, "graphics")) {
            int port;
            try {
                port = Integer.parseInt(element.getAttribute("port"));
            } catch (NumberFormatException e) {
                port = -1;
            }
            graphics.add(new Graphics(element.getAttribute("type"), element.getAttribute("listen"), port));
        }
        return graphics;
    }

    private static String firstNonEmpty(String... values) {
        for (String value : values) {
            if (!value.isEmpty()) {
                return value;
            }
        }
        return "";
    }
}
