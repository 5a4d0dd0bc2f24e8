package org.kvmportal.hypervisor.internal;

import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.kvmportal.hypervisor.HypervisorException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** Small DOM helpers shared by the storage and network XML builders and readers. */
final class XmlElements {

    private XmlElements() {}

    /** A new document whose root element is {@code root}. */
    static Document newDocument(String root) {
        try {
            var document =
                    DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
            document.appendChild(document.createElement(root));
            return document;
        } catch (ParserConfigurationException e) {
            throw new HypervisorException("An XML document could not be created: " + e.getMessage(), e);
        }
    }

    /** Appends {@code <name>text</name>} (text escaped by the serializer) and returns it. */
    static Element append(Element parent, String name, String text) {
        var element = append(parent, name);
        element.setTextContent(text);
        return element;
    }

    static Element append(Element parent, String name) {
        var element = parent.getOwnerDocument().createElement(name);
        parent.appendChild(element);
        return element;
    }

    /** The first child element of that name, or null. */
    static Element child(Element parent, String name) {
        var all = children(parent, name);
        return all.isEmpty() ? null : all.getFirst();
    }

    static List<Element> children(Element parent, String name) {
        var result = new ArrayList<Element>();
        if (parent == null) {
            return result;
        }
        for (var node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                result.add(element);
            }
        }
        return result;
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
}
