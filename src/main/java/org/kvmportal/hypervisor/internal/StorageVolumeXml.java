package org.kvmportal.hypervisor.internal;

import static org.kvmportal.hypervisor.internal.XmlElements.append;
import static org.kvmportal.hypervisor.internal.XmlElements.attribute;
import static org.kvmportal.hypervisor.internal.XmlElements.child;
import static org.kvmportal.hypervisor.internal.XmlElements.text;

import org.kvmportal.hypervisor.NewVolume;
import org.kvmportal.hypervisor.VolumeFormat;

/**
 * Storage volume and pool XML through a DOM: volume names typed by admins and file names from browsers are
 * escaped by the serializer, never pasted into markup.
 */
final class StorageVolumeXml {

    private StorageVolumeXml() {}

    /**
     * A new volume. A qcow2 volume is thin (allocation 0), and with {@code backingPath} an overlay that reads
     * what it has not written from that file.
     */
    static String build(NewVolume volume, String backingPath, String backingFormat) {
        var document = XmlElements.newDocument("volume");
        var root = document.getDocumentElement();
        append(root, "name", volume.name());
        append(root, "capacity", Long.toString(volume.capacityBytes())).setAttribute("unit", "bytes");
        if (volume.format() == VolumeFormat.QCOW2) {
            append(root, "allocation", "0").setAttribute("unit", "bytes");
        }
        var target = append(root, "target");
        append(target, "format").setAttribute("type", volume.format().libvirtName());
        if (backingPath != null) {
            var backing = append(root, "backingStore");
            append(backing, "path", backingPath);
            append(backing, "format").setAttribute("type", backingFormat);
        }
        return DomainXml.serialize(document, false);
    }

    /** A sparse raw volume of {@code size} bytes for an upload to fill. */
    static String forUpload(String name, long size) {
        var document = XmlElements.newDocument("volume");
        var root = document.getDocumentElement();
        append(root, "name", name);
        append(root, "capacity", Long.toString(size)).setAttribute("unit", "bytes");
        append(root, "allocation", "0").setAttribute("unit", "bytes");
        append(append(root, "target"), "format").setAttribute("type", "raw");
        return DomainXml.serialize(document, false);
    }

    /** What the portal reads from a volume's XML. */
    record VolumeFacts(String path, String format, String backingPath) {}

    static VolumeFacts read(String xml) {
        var root = DomainXml.parse(xml).getDocumentElement();
        var target = child(root, "target");
        var backing = child(root, "backingStore");
        return new VolumeFacts(
                target == null ? "" : text(target, "path"),
                target == null ? "" : attribute(target, "format", "type"),
                backing == null ? "" : text(backing, "path"));
    }

    /** What the portal reads from a pool's XML. */
    record PoolFacts(String type, String path) {}

    static PoolFacts readPool(String xml) {
        var root = DomainXml.parse(xml).getDocumentElement();
        var target = child(root, "target");
        return new PoolFacts(root.getAttribute("type"), target == null ? "" : text(target, "path"));
    }
}
