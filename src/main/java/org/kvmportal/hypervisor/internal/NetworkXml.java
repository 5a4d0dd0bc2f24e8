package org.kvmportal.hypervisor.internal;

import static org.kvmportal.hypervisor.internal.XmlElements.append;
import static org.kvmportal.hypervisor.internal.XmlElements.attribute;
import static org.kvmportal.hypervisor.internal.XmlElements.child;
import static org.kvmportal.hypervisor.internal.XmlElements.children;

import org.kvmportal.hypervisor.NatNetwork;
import org.w3c.dom.Element;

/** Virtual network XML through a DOM, built and read; never by string concatenation. */
final class NetworkXml {

    private NetworkXml() {}

    /** A NAT network; no bridge name, so libvirt picks a free one ({@code virbrN}). */
    static String nat(NatNetwork network) {
        var document = XmlElements.newDocument("network");
        var root = document.getDocumentElement();
        append(root, "name", network.name());
        append(root, "forward").setAttribute("mode", "nat");
        var ip = append(root, "ip");
        ip.setAttribute("address", network.address());
        ip.setAttribute("prefix", Integer.toString(network.prefix()));
        var range = append(append(ip, "dhcp"), "range");
        range.setAttribute("start", network.dhcpStart());
        range.setAttribute("end", network.dhcpEnd());
        return DomainXml.serialize(document, false);
    }

    /** What the networks page shows, read from a network's XML. */
    record NetworkFacts(String bridge, String forwardMode, String address, String dhcpStart, String dhcpEnd) {}

    static NetworkFacts read(String xml) {
        var root = DomainXml.parse(xml).getDocumentElement();
        var ip = firstIpv4(root);
        var range = ip == null ? null : child(child(ip, "dhcp"), "range");
        return new NetworkFacts(
                attribute(root, "bridge", "name"),
                attribute(root, "forward", "mode"),
                ip == null ? "" : ip.getAttribute("address") + "/" + prefix(ip),
                range == null ? "" : range.getAttribute("start"),
                range == null ? "" : range.getAttribute("end"));
    }

    private static Element firstIpv4(Element root) {
        for (var ip : children(root, "ip")) {
            String family = ip.getAttribute("family");
            if (family.isEmpty() || family.equals("ipv4")) {
                return ip;
            }
        }
        return null;
    }

    /** libvirt accepts either {@code prefix='24'} or {@code netmask='255.255.255.0'}. */
    private static int prefix(Element ip) {
        if (!ip.getAttribute("prefix").isEmpty()) {
            return Integer.parseInt(ip.getAttribute("prefix"));
        }
        String netmask = ip.getAttribute("netmask");
        if (netmask.isEmpty()) {
            return 24; // libvirt's default for an IPv4 address without either
        }
        int bits = 0;
        for (String part : netmask.split("\\.")) {
            bits += Integer.bitCount(Integer.parseInt(part));
        }
        return bits;
    }
}
