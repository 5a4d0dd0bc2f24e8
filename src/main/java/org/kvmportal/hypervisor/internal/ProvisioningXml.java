package org.kvmportal.hypervisor.internal;

import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** Small DOM steps the provisioning classes share: find, add and drop child elements. */
final class ProvisioningXml {

    private ProvisioningXml() {}

    static Element child(Element parent, String name) {
        for (var node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element;
            }
        }
        return null;
    }

    static List<Element> children(Element parent, String name) {
        var found = new ArrayList<Element>();
        for (var node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                found.add(element);
            }
        }
        return found;
    }

    /** The text of the first child of that name, stripped; empty when there is none. */
    static String childText(Element parent, String name) {
        var child = child(parent, name);
        return child == null ? "" : child.getTextContent().strip();
    }

    static Element add(Element parent, String name) {
        Element element = parent.getOwnerDocument().createElement(name);
        parent.appendChild(element);
        return element;
    }

    static Element add(Element parent, String name, String text) {
        var element = add(parent, name);
        element.setTextContent(text);
        return element;
    }

    /** Adds {@code <name a1="v1" a2="v2" ...>}; attributes come in name, value pairs. */
    static Element addWith(Element parent, String name, String... attributes) {
        var element = add(parent, name);
        for (int i = 0; i + 1 < attributes.length; i += 2) {
            element.setAttribute(attributes[i], attributes[i + 1]);
        }
        return element;
    }

    static void removeChildren(Element parent, String name) {
        children(parent, name).forEach(parent::removeChild);
    }

    /** The first child of that name, made (appended) when missing. */
    static Element childOrNew(Element parent, String name) {
        var existing = child(parent, name);
        return existing == null ? add(parent, name) : existing;
    }

    static Document newDocument(String rootName) {
        try {
            var factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            var document = factory.newDocumentBuilder().newDocument();
            document.appendChild(document.createElement(rootName));
            return document;
        } catch (javax.xml.parsers.ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A libvirt size element ({@code <capacity unit='bytes'>}) in bytes; -1 when absent or unreadable. */
    static long bytes(Element parent, String name) {
        var element = child(parent, name);
        if (element == null) {
            return -1;
        }
        try {
            long value = Long.parseLong(element.getTextContent().strip());
            return value * unitFactor(element.getAttribute("unit"));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long unitFactor(String unit) {
        return switch (unit) {
            case "", "bytes", "b", "B" -> 1;
            case "KiB", "k", "K" -> 1L << 10;
            case "MiB", "M" -> 1L << 20;
            case "GiB", "G" -> 1L << 30;
            case "TiB", "T" -> 1L << 40;
            default -> 1;
        };
    }
}
