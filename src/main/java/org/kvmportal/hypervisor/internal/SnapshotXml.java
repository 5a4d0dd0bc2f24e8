package org.kvmportal.hypervisor.internal;

import static org.kvmportal.hypervisor.internal.XmlElements.child;
import static org.kvmportal.hypervisor.internal.XmlElements.children;

import java.time.Instant;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.kvmportal.hypervisor.Snapshot;
import org.kvmportal.hypervisor.SnapshotState;
import org.w3c.dom.Element;

/** A snapshot's XML ({@code <domainsnapshot>}), read and written through a DOM. */
final class SnapshotXml {

    private SnapshotXml() {}

    /** The definition of a new snapshot: its name and description; libvirt chooses the rest. */
    static String create(String name, String description) {
        try {
            var document =
                    DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
            var root = document.createElement("domainsnapshot");
            document.appendChild(root);
            var nameElement = document.createElement("name");
            nameElement.setTextContent(name);
            root.appendChild(nameElement);
            if (!description.isEmpty()) {
                var descriptionElement = document.createElement("description");
                descriptionElement.setTextContent(description);
                root.appendChild(descriptionElement);
            }
            return DomainXml.serialize(document, false);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @param current whether libvirt names this snapshot as the domain's current one */
    static Snapshot read(String xml, boolean current) {
        var root = DomainXml.parse(xml).getDocumentElement();
        var parent = child(root, "parent");
        var memory = child(root, "memory");
        String memoryMode = memory == null ? "no" : memory.getAttribute("snapshot");
        var created = text(root, "creationTime");
        return new Snapshot(
                text(root, "name"),
                text(root, "description"),
                created.isEmpty() ? null : Instant.ofEpochSecond(Long.parseLong(created.strip())),
                state(text(root, "state").strip()),
                parent == null ? null : text(parent, "name"),
                memoryMode.equals("internal") || memoryMode.equals("external"),
                current,
                isExternal(root, memoryMode));
    }

    private static SnapshotState state(String libvirtState) {
        return switch (libvirtState) {
            case "running", "blocked" -> SnapshotState.RUNNING;
            case "paused", "pmsuspended" -> SnapshotState.PAUSED;
            case "shutoff", "shutdown", "crashed" -> SnapshotState.SHUT_OFF;
            case "disk-snapshot" -> SnapshotState.DISK_ONLY;
            default -> SnapshotState.OTHER;
        };
    }

    private static boolean isExternal(Element root, String memoryMode) {
        if (memoryMode.equals("external")) {
            return true;
        }
        var disks = child(root, "disks");
        if (disks == null) {
            return false;
        }
        for (var disk : children(disks, "disk")) {
            if (disk.getAttribute("snapshot").equals("external")) {
                return true;
            }
        }
        return false;
    }

    /** The element's text exactly as libvirt stored it (a description keeps its spaces and line breaks). */
    private static String text(Element parent, String name) {
        var element = child(parent, name);
        return element == null ? "" : element.getTextContent();
    }
}
