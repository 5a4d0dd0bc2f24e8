package org.kvmportal.hypervisor.internal;

import org.kvmportal.hypervisor.HypervisorException;
import org.w3c.dom.Document;

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
        DomainSecrets.restore(edited, current);
        return edited;
    }
}
