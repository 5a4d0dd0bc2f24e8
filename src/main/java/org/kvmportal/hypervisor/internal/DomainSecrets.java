package org.kvmportal.hypervisor.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kvmportal.hypervisor.HypervisorException;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * What libvirt treats as secret in a domain definition, found in the parsed DOM (never in text, where quoting,
 * entities and line breaks inside attributes defeat any pattern), masked for display and the audit log, and put
 * back when a masked definition comes back from the XML editor.
 *
 * <p>The catalogue is what libvirt writes only with {@code VIR_DOMAIN_XML_SECURE}:
 *
 * <ul>
 *   <li>the {@code passwd} attribute of every {@code <graphics>} (VNC, SPICE, RDP and any later type); masked on
 *       whatever element carries it, since an unknown element with a {@code passwd} is no less a password;
 *   <li>the text of {@code <cookie>} elements of network disk sources (HTTP/HTTPS/FTP), in a disk's
 *       {@code <source>}, {@code <backingStore>} or {@code <mirror>} alike (CVE-2020-14301).
 * </ul>
 *
 * Other credentials in domain XML are references to libvirt secrets (the {@code uuid} or {@code usage} of
 * {@code <auth><secret>} for iSCSI and RBD, {@code <encryption><secret>}, a vTPM's {@code <encryption secret>}),
 * whose values never appear in the definition; they stay visible, since an admin needs them to find the secret.
 */
final class DomainSecrets {

    /** What a masked secret shows; the XML editor takes it back as "keep the current value". */
    static final String MASK = "********";

    private static final String PASSWORD = "passwd";
    private static final String COOKIE = "cookie";

    private DomainSecrets() {}

    /** Replaces every secret with {@link #MASK}; returns how many there were. */
    static int mask(Document document) {
        var found = secrets(document.getDocumentElement());
        found.forEach(secret -> secret.set(MASK));
        return found.size();
    }

    /**
     * In a definition edited by hand, a secret left as {@link #MASK} means "keep it": takes each from the same
     * place of the current definition (the same device, found by its identity rather than its position in the
     * text).
     *
     * @throws HypervisorException when a masked secret has nothing to keep (no such device, or no secret there)
     */
    static void restore(Document edited, Document current) {
        var originals = new HashMap<String, Secret>();
        for (var secret : secrets(current.getDocumentElement())) {
            originals.put(secret.key(), secret);
        }
        for (var secret : secrets(edited.getDocumentElement())) {
            if (!MASK.equals(secret.value())) {
                continue;
            }
            var original = originals.get(secret.key());
            if (original == null) {
                throw new HypervisorException("A masked secret (" + MASK + ") has no current value to keep: type a new"
                        + " one or remove it" + secret.where() + ".");
            }
            secret.set(original.value());
        }
    }

    /**
     * A failure about {@code document} without its secrets: libvirt's errors may quote the values they refuse,
     * and the message goes to the person, the audit log and the server log. Unchanged when it holds none.
     */
    static HypervisorException withoutSecrets(HypervisorException failure, Document document) {
        var values = secrets(document.getDocumentElement()).stream()
                .map(Secret::value)
                .filter(value -> !value.isEmpty() && !value.equals(MASK))
                .toList();
        String said = failure.getMessage();
        String cause = failure.getCause() == null
                ? ""
                : String.valueOf(failure.getCause().getMessage());
        if (values.stream().noneMatch(value -> said.contains(value) || cause.contains(value))) {
            return failure;
        }
        String message = said;
        for (String value : values) {
            message = message.replace(value, MASK);
        }
        return new HypervisorException(message); // the cause quoted the secret too
    }

    /** Every secret under {@code element}, in document order. */
    private static List<Secret> secrets(Element root) {
        var found = new ArrayList<Secret>();
        collect(root, root.getTagName(), found);
        return found;
    }

    private static void collect(Element element, String path, List<Secret> found) {
        if (element.getAttributeNode(PASSWORD) instanceof Attr password) {
            found.add(new AttributeSecret(path + "@" + PASSWORD, password));
        }
        if (element.getTagName().equals(COOKIE)) {
            found.add(new TextSecret(path, element));
        }
        var seen = new HashMap<String, Integer>();
        for (var child : XmlElements.childElements(element)) {
            String identity = identity(child);
            int index = seen.merge(identity, 1, Integer::sum) - 1;
            collect(child, path + "/" + identity + "#" + index, found);
        }
    }

    /**
     * How an element is told apart from its siblings, beyond its position among those that look the same: a
     * graphics device by its type, a disk by its target, a cookie by its name. So a password stays with its VNC
     * display when the admin reorders devices or adds a SPICE one before it.
     */
    private static String identity(Element element) {
        var keys = Map.of("graphics", "type", COOKIE, "name");
        String tag = element.getTagName();
        if (tag.equals("disk")) {
            return tag + "[" + XmlElements.attribute(element, "target", "dev") + "]";
        }
        String attribute = keys.get(tag);
        return attribute == null ? tag : tag + "[" + element.getAttribute(attribute) + "]";
    }

    private sealed interface Secret {
        /** Where the secret is, the same for the same device in two versions of a definition. */
        String key();

        String value();

        void set(String value);

        /** For messages: which one, without its value. */
        default String where() {
            return " (" + key().replaceAll("#\\d+", "") + ")";
        }
    }

    private record AttributeSecret(String key, Attr attribute) implements Secret {
        @Override
        public String value() {
            return attribute.getValue();
        }

        @Override
        public void set(String value) {
            attribute.setValue(value);
        }
    }

    private record TextSecret(String key, Element element) implements Secret {
        @Override
        public String value() {
            return element.getTextContent();
        }

        @Override
        public void set(String value) {
            element.setTextContent(value);
        }
    }
}
