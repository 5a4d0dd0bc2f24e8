package org.kvmportal.hypervisor.internal;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

/** The XML of a new, empty disk volume for {@code virStorageVolCreateXML}, built through the DOM. */
final class NewDiskVolumeXml {

    private NewDiskVolumeXml() {}

    /** @param format {@code qcow2} or {@code raw}; qcow2 volumes take host space only as the guest writes */
    static String of(String name, long capacityBytes, String format) {
        try {
            var document =
                    DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
            var volume = document.createElement("volume");
            document.appendChild(volume);
            XmlElements.append(volume, "name").setTextContent(name);
            var capacity = XmlElements.append(volume, "capacity");
            capacity.setAttribute("unit", "bytes");
            capacity.setTextContent(Long.toString(capacityBytes));
            var allocation = XmlElements.append(volume, "allocation");
            allocation.setAttribute("unit", "bytes");
            allocation.setTextContent("0");
            var target = XmlElements.append(volume, "target");
            XmlElements.append(target, "format").setAttribute("type", format);
            return DomainXml.serialize(document, false);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }
}
