package org.kvmportal.hypervisor.internal;

import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Element;

/** Small DOM helpers for libvirt's XML: direct children only, never a search through the whole tree. */
final class DomainEditDom {

    private DomainEditDom() {}

    static Element child(Element parent, String name) {
        if (parent == null) {
            return null;
        }
        for (var node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element;
            }
        }
        return null;
    }

    static Element path(Element parent, String... names) {
        var current = parent;
        for (String name : names) {
            current = child(current, name);
        }
        return current;
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

    static String text(Element parent, String name) {
        var element = child(parent, name);
        return element == null ? "" : element.getTextContent().strip();
    }

    /** The child named {@code name}, created (appended) when missing. */
    static Element ensure(Element parent, String name) {
        var existing = child(parent, name);
        if (existing != null) {
            return existing;
        }
        var created = parent.getOwnerDocument().createElement(name);
        parent.appendChild(created);
        return created;
    }

    static void removeAll(Element parent, String name) {
        for (var element : children(parent, name)) {
            parent.removeChild(element);
        }
    }

    static Element append(Element parent, String name) {
        var created = parent.getOwnerDocument().createElement(name);
        parent.appendChild(created);
        return created;
    }
}
