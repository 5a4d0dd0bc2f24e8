package org.kvmportal.e2e;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.kvmportal.testing.Virsh;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/**
 * A running guest that ignores "shut down": a transient copy of demo-bravo (its kernel and initramfs) under
 * another name and UUID, without a disk and without ACPI, so there is no power button to press. Closing it
 * destroys it, and a transient domain is then gone for good.
 */
final class AcpiIgnoringGuest implements AutoCloseable {

    private static final String TEMPLATE = "demo-bravo";

    private final String name;

    private AcpiIgnoringGuest(String name) {
        this.name = name;
    }

    static AcpiIgnoringGuest start(String name) {
        var document = parse(Virsh.virsh("dumpxml", "--inactive", TEMPLATE));
        var domain = document.getDocumentElement();
        text(domain, "name", name);
        text(domain, "uuid", UUID.randomUUID().toString());
        remove(domain, "metadata"); // demo-host.sh's marker: this domain is not one of its own
        remove(domain, "description");
        var devices = only(domain, "devices");
        removeAll(devices, "disk");
        var features = only(domain, "features");
        if (features != null) {
            remove(features, "acpi");
        }
        for (Node device = devices.getFirstChild(); device != null; device = device.getNextSibling()) {
            if (device instanceof Element element) {
                remove(element, "mac"); // libvirt picks a fresh one
                remove(element, "log"); // the serial log file is demo-bravo's own
            }
        }
        var guest = new AcpiIgnoringGuest(name);
        try {
            var file = Files.createTempFile("kvmportal-" + name, ".xml");
            try {
                write(document, file);
                Virsh.virsh("create", file.toString());
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return guest;
    }

    String name() {
        return name;
    }

    /** Whether libvirt still knows the domain; a transient one is gone once it is off. */
    boolean exists() {
        try {
            Virsh.virsh("domstate", name);
            return true;
        } catch (AssertionError e) {
            if (e.getMessage().contains("failed to get domain")) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        Virsh.virshQuietly("destroy", name);
    }

    private static Document parse(String xml) {
        try {
            var factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
        } catch (Exception e) {
            throw new IllegalStateException("Could not parse the XML of " + TEMPLATE, e);
        }
    }

    private static void write(Document document, Path file) {
        try {
            var transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            transformer.transform(new DOMSource(document), new StreamResult(file.toFile()));
        } catch (Exception e) {
            throw new IllegalStateException("Could not write " + file, e);
        }
    }

    private static Element only(Element parent, String tag) {
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element element && element.getTagName().equals(tag)) {
                return element;
            }
        }
        return null;
    }

    private static void text(Element parent, String tag, String value) {
        var element = only(parent, tag);
        if (element == null) {
            element = parent.getOwnerDocument().createElement(tag);
            parent.appendChild(element);
        }
        element.setTextContent(value);
    }

    private static void remove(Element parent, String tag) {
        var element = only(parent, tag);
        if (element != null) {
            parent.removeChild(element);
        }
    }

    private static void removeAll(Element parent, String tag) {
        for (var element = only(parent, tag); element != null; element = only(parent, tag)) {
            parent.removeChild(element);
        }
    }
}
