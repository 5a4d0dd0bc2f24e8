package org.kvmportal.hypervisor.internal;

import static org.kvmportal.hypervisor.internal.XmlElements.child;
import static org.kvmportal.hypervisor.internal.XmlElements.children;

import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Element;

/** The disks of a domain's XML, read for the volume guard and for deleting a domain with its disks. */
final class DomainDiskXml {

    private DomainDiskXml() {}

    /**
     * One {@code <disk>}.
     *
     * @param file the source file or block device; empty for a pool volume source or an empty drive
     * @param pool for a {@code type='volume'} disk, the pool; else empty
     * @param backingFiles the files of its backing chain as the live XML shows it, nearest first
     * @param shared marked {@code <readonly/>} or {@code <shareable/>}: meant to be used by several guests
     */
    record Disk(
            String target,
            String device,
            String file,
            String pool,
            String volume,
            List<String> backingFiles,
            boolean shared) {

        boolean empty() {
            return file.isEmpty() && volume.isEmpty();
        }
    }

    static List<Disk> read(String domainXml) {
        var devices = child(DomainXml.parse(domainXml).getDocumentElement(), "devices");
        var disks = new ArrayList<Disk>();
        for (var disk : children(devices, "disk")) {
            var source = child(disk, "source");
            var target = child(disk, "target");
            disks.add(new Disk(
                    target == null ? "" : target.getAttribute("dev"),
                    disk.getAttribute("device").isEmpty() ? "disk" : disk.getAttribute("device"),
                    file(source),
                    source == null ? "" : source.getAttribute("pool"),
                    source == null ? "" : source.getAttribute("volume"),
                    backingFiles(disk),
                    child(disk, "readonly") != null || child(disk, "shareable") != null));
        }
        return disks;
    }

    private static String file(Element source) {
        if (source == null) {
            return "";
        }
        return source.getAttribute("file").isEmpty() ? source.getAttribute("dev") : source.getAttribute("file");
    }

    private static List<String> backingFiles(Element disk) {
        var files = new ArrayList<String>();
        for (var backing = child(disk, "backingStore"); backing != null; backing = child(backing, "backingStore")) {
            String file = file(child(backing, "source"));
            if (!file.isEmpty()) {
                files.add(file);
            }
        }
        return files;
    }
}
