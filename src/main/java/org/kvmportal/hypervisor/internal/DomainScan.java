package org.kvmportal.hypervisor.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.w3c.dom.Element;

/**
 * What every domain on a host uses, read from their definitions in one pass: MAC addresses (a new VM's must
 * differ) and disk sources (a disk image in use by one VM is not offered to another).
 */
final class DomainScan {

    private final Set<String> macs = new HashSet<>();
    /** Disk source path, or {@code pool/volume} for volume disks, to the names of the domains using it. */
    private final Map<String, List<String>> disks = new HashMap<>();

    private DomainScan() {}

    static DomainScan read(Connect connect) throws LibvirtException {
        var scan = new DomainScan();
        Domain[] domains = connect.listAllDomains(0);
        try {
            for (Domain domain : domains) {
                String xml;
                try {
                    xml = domain.getXMLDesc(0);
                } catch (LibvirtException e) {
                    if (LibvirtErrors.isNoDomain(e)) {
                        continue; // undefined since the listing
                    }
                    throw e;
                }
                scan.add(DomainXml.parse(xml).getDocumentElement());
            }
        } finally {
            for (Domain domain : domains) {
                domain.free();
            }
        }
        return scan;
    }

    private void add(Element root) {
        String name = XmlElements.text(root, "name");
        var devices = XmlElements.child(root, "devices");
        if (devices == null) {
            return;
        }
        for (var nic : XmlElements.children(devices, "interface")) {
            var mac = XmlElements.child(nic, "mac");
            if (mac != null && !mac.getAttribute("address").isEmpty()) {
                macs.add(mac.getAttribute("address").toLowerCase(Locale.ROOT));
            }
        }
        for (var disk : XmlElements.children(devices, "disk")) {
            var source = XmlElements.child(disk, "source");
            if (source == null) {
                continue;
            }
            for (String key : List.of(
                    source.getAttribute("file"),
                    source.getAttribute("dev"),
                    source.hasAttribute("pool")
                            ? source.getAttribute("pool") + "/" + source.getAttribute("volume")
                            : "")) {
                if (!key.isEmpty()) {
                    disks.computeIfAbsent(key, ignored -> new ArrayList<>()).add(name);
                }
            }
        }
    }

    Set<String> macs() {
        return macs;
    }

    /** The domains using the volume, found by its path or by its pool and name. */
    List<String> usersOf(String path, String pool, String volume) {
        var users = new ArrayList<String>();
        users.addAll(disks.getOrDefault(path, List.of()));
        disks.getOrDefault(pool + "/" + volume, List.of()).stream()
                .filter(name -> !users.contains(name))
                .forEach(users::add);
        return users;
    }
}
