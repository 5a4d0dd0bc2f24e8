package org.kvmportal.hypervisor.internal;

import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.kvmportal.hypervisor.HypervisorException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The DOM steps every libvirt XML builder and reader of this package shares. Direct children only, never a
 * search through the whole tree: libvirt's elements of one name mean different things at different depths.
 * Every lookup takes a null parent as "nothing there".
 */
final class XmlElements {

    private XmlElements() {}

    /** A new document whose root element is {@code root}. */
    static Document newDocument(String root) {
        try {
            var factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            var document = factory.newDocumentBuilder().newDocument();
            document.appendChild(document.createElement(root));
            return document;
        } catch (ParserConfigurationException e) {
            throw new HypervisorException("An XML document could not be created: " + e.getMessage(), e);
        }
    }

    static Element append(Element parent, String name) {
        var element = parent.getOwnerDocument().createElement(name);
        parent.appendChild(element);
        return element;
    }

    /** Appends {@code <name>text</name>} (text escaped by the serializer) and returns it. */
    static Element append(Element parent, String name, String text) {
        var element = append(parent, name);
        element.setTextContent(text);
        return element;
    }

    /** Appends {@code <name a1="v1" a2="v2" ...>}; attributes come in name, value pairs. */
    static Element appendWith(Element parent, String name, String... attributes) {
        var element = append(parent, name);
        for (int i = 0; i + 1 < attributes.length; i += 2) {
            element.setAttribute(attributes[i], attributes[i + 1]);
        }
        return element;
    }

    /** The first child element of that name, or null. */
    static Element child(Element parent, String name) {
        var all = children(parent, name);
        return all.isEmpty() ? null : all.getFirst();
    }

    static List<Element> children(Element parent, String name) {
        var result = new ArrayList<Element>();
        for (var element : childElements(parent)) {
            if (element.getTagName().equals(name)) {
                result.add(element);
            }
        }
        return result;
    }

    static List<Element> childElements(Element parent) {
        var result = new ArrayList<Element>();
        if (parent == null) {
            return result;
        }
        for (var node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element) {
                result.add(element);
            }
        }
        return result;
    }

    /** Down a path of first children ({@code path(root, "os", "loader")}); null where one is missing. */
    static Element path(Element parent, String... names) {
        var current = parent;
        for (String name : names) {
            current = child(current, name);
        }
        return current;
    }

    /** The text of the first child of that name, stripped; empty when there is none. */
    static String text(Element parent, String name) {
        var element = child(parent, name);
        return element == null ? "" : element.getTextContent().strip();
    }

    /** An attribute of the first child of that name; empty when either is missing. */
    static String attribute(Element parent, String child, String attribute) {
        var element = child(parent, child);
        return element == null ? "" : element.getAttribute(attribute);
    }

    /** The first child of that name, made (appended) when missing. */
    static Element ensure(Element parent, String name) {
        var existing = child(parent, name);
        return existing == null ? append(parent, name) : existing;
    }

    static void removeAll(Element parent, String name) {
        children(parent, name).forEach(parent::removeChild);
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
