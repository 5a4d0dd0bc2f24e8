package org.kvmportal.hypervisor.internal;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Storage volume XML for the disks of new domains: an empty qcow2 disk, a linked clone (a qcow2 volume whose
 * backing file is the original) or the target of a full copy. Built with the DOM like all libvirt XML here.
 */
final class CloneVolumeXml {

    private CloneVolumeXml() {}

    /** A new, empty qcow2 volume of {@code capacityBytes}. */
    static String empty(String name, long capacityBytes) {
        return DomainXml.serialize(volume(name, capacityBytes, "qcow2").getOwnerDocument(), false);
    }

    /** A qcow2 volume that reads what it has not written from {@code backingPath} (of {@code backingFormat}). */
    static String linked(String name, long capacityBytes, String backingPath, String backingFormat) {
        var volume = volume(name, capacityBytes, "qcow2");
        var backing = XmlElements.append(volume, "backingStore");
        XmlElements.append(backing, "path", backingPath);
        XmlElements.appendWith(backing, "format", "type", backingFormat);
        return DomainXml.serialize(volume.getOwnerDocument(), false);
    }

    /** The new volume a full copy (libvirt's {@code storageVolCreateXMLFrom}) writes, in the original's format. */
    static String copy(String name, long capacityBytes, String format) {
        return DomainXml.serialize(volume(name, capacityBytes, format).getOwnerDocument(), false);
    }

    private static Element volume(String name, long capacityBytes, String format) {
        Document document = XmlElements.newDocument("volume");
        var volume = document.getDocumentElement();
        XmlElements.append(volume, "name", name);
        XmlElements.appendWith(volume, "capacity", "unit", "bytes").setTextContent(Long.toString(capacityBytes));
        var target = XmlElements.append(volume, "target");
        XmlElements.appendWith(target, "format", "type", format);
        return volume;
    }
}
