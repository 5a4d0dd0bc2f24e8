package org.kvmportal.hypervisor.internal;

import java.util.ArrayList;
import org.kvmportal.hypervisor.HypervisorException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Checks a definition an admin edited by hand before libvirt sees it: well-formed, still the same domain (name
 * and UUID), and the masked passwords put back from the current definition.
 */
final class EditedDomainXml {

    private EditedDomainXml() {}

    static Document check(String xml, Document current) {
        Document edited;
        try {
            edited = DomainXml.parse(xml);
        } catch (HypervisorException e) {
            throw new HypervisorException(
                    "The XML is not well-formed: " + e.getCause().getMessage(), e.getCause());
        }
        var root = edited.getDocumentElement();
        var was = current.getDocumentElement();
        if (!root.getTagName().equals("domain")) {
            throw new HypervisorException("The definition must be a <domain> element.");
        }
        if (!XmlElements.text(root, "name").equals(XmlElements.text(was, "name"))) {
            throw new HypervisorException(
                    "The name cannot be changed here: keep <name>" + XmlElements.text(was, "name") + "</name>.");
        }
        if (!XmlElements.text(root, "uuid").equalsIgnoreCase(XmlElements.text(was, "uuid"))) {
            throw new HypervisorException(
                    "The UUID cannot be changed or removed: keep <uuid>" + XmlElements.text(was, "uuid") + "</uuid>.");
        }
        restoreSecrets(root, was);
        return edited;
    }

    /** A graphics password left as asterisks means "keep it": take it from the same device of the current one. */
    private static void restoreSecrets(Element root, Element was) {
        var before = graphics(was);
        var after = graphics(root);
        for (int i = 0; i < after.size(); i++) {
            var element = after.get(i);
            if (!DomainXml.MASK.equals(element.getAttribute("passwd"))) {
                continue;
            }
            var original = before.stream()
                    .filter(old -> old.getAttribute("type").equals(element.getAttribute("type")))
                    .skip(sameTypeBefore(after, i))
                    .findFirst()
                    .filter(old -> old.hasAttribute("passwd"))
                    .orElseThrow(() -> new HypervisorException(
                            "A masked password (" + DomainXml.MASK + ") has no current password to keep: type a"
                                    + " new one or remove the passwd attribute."));
            element.setAttribute("passwd", original.getAttribute("passwd"));
        }
    }

    private static long sameTypeBefore(java.util.List<Element> all, int index) {
        String type = all.get(index).getAttribute("type");
        return all.subList(0, index).stream()
                .filter(element -> element.getAttribute("type").equals(type))
                .count();
    }

    private static java.util.List<Element> graphics(Element root) {
        return new ArrayList<>(XmlElements.children(XmlElements.child(root, "devices"), "graphics"));
    }
}
