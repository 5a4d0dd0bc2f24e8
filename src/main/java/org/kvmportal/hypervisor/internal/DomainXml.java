package org.kvmportal.hypervisor.internal;

import java.io.StringReader;
import java.io.StringWriter;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.kvmportal.hypervisor.HypervisorException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * Domain XML through a DOM, never through string building: text from users (names, descriptions) is
 * escaped by the serializer, and read-modify-write keeps every element we do not touch.
 */
final class DomainXml {

    private DomainXml() {}

    static Document parse(String xml) {
        try {
            var factory = DocumentBuilderFactory.newInstance();
            // libvirt's XML has no DTD; refusing one shuts out entity expansion attacks in edited XML.
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            // libvirt writes a carriage return in a description as is; an XML parser would turn "\r\n" into
            // "\n". As a character reference it survives, so text round-trips exactly.
            return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml.replace("\r", "&#13;"))));
        } catch (ParserConfigurationException | SAXException | java.io.IOException e) {
            throw new HypervisorException("The domain XML could not be read: " + e.getMessage(), e);
        }
    }

    static String serialize(Document document, boolean indent) {
        try {
            var factory = TransformerFactory.newInstance();
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
            var transformer = factory.newTransformer();
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            if (indent) {
                stripWhitespaceText(document.getDocumentElement());
                transformer.setOutputProperty(OutputKeys.INDENT, "yes");
                transformer.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            }
            var out = new StringWriter();
            transformer.transform(new DOMSource(document), new StreamResult(out));
            return out.toString();
        } catch (TransformerException e) {
            throw new HypervisorException("The domain XML could not be written: " + e.getMessage(), e);
        }
    }

    /** Sets (or replaces) the top-level {@code <description>}; an empty text removes it. */
    static void setDescription(Document document, String description) {
        Element root = document.getDocumentElement();
        var existing = root.getElementsByTagName("description");
        for (int i = existing.getLength() - 1; i >= 0; i--) {
            var node = existing.item(i);
            if (node.getParentNode() == root) {
                root.removeChild(node);
            }
        }
        if (description.isEmpty()) {
            return;
        }
        Element element = document.createElement("description");
        element.setTextContent(description);
        // libvirt writes <description> right after <uuid>/<name>; keep that order for readable diffs.
        var anchor = firstChild(root, "uuid");
        if (anchor == null) {
            anchor = firstChild(root, "name");
        }
        root.insertBefore(element, anchor == null ? root.getFirstChild() : anchor.getNextSibling());
    }

    private static Element firstChild(Element parent, String name) {
        for (var node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element;
            }
        }
        return null;
    }

    /** Whitespace-only text nodes from libvirt's own indentation would double up with ours. */
    private static void stripWhitespaceText(Element element) {
        var node = element.getFirstChild();
        while (node != null) {
            var next = node.getNextSibling();
            if (node.getNodeType() == org.w3c.dom.Node.TEXT_NODE
                    && node.getTextContent().isBlank()
                    && hasElementSibling(element)) {
                element.removeChild(node);
            } else if (node instanceof Element child) {
                stripWhitespaceText(child);
            }
            node = next;
        }
    }

    private static boolean hasElementSibling(Element parent) {
        for (var node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element) {
                return true;
            }
        }
        return false;
    }
}
