package org.kvmportal.hypervisor.internal;

import java.util.List;
import org.kvmportal.hypervisor.HypervisorException;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;

/**
 * The kind of guest a new domain on a host is: its domain type, architecture and machine, read from the
 * host's capabilities (a domain the host does not offer is refused at define).
 *
 * @param machine {@code q35} when the host offers it, else null (the host's default machine)
 */
record HostGuest(String domainType, String arch, String machine) {

    /** Preferred architectures and domain types, best first. */
    private static final List<String> ARCHES = List.of("x86_64", "aarch64");

    private static final List<String> TYPES = List.of("kvm", "qemu");

    /**
     * @param wantedType the configured domain type, or {@code auto} for the best the host offers (kvm, then
     *     qemu). Nested KVM hangs some guests; a host where that matters configures {@code qemu}.
     */
    static HostGuest read(Connect connect, String wantedType) throws LibvirtException {
        var root = DomainXml.parse(connect.getCapabilities()).getDocumentElement();
        org.w3c.dom.Element best = null;
        for (var guest : XmlElements.children(root, "guest")) {
            if (!XmlElements.text(guest, "os_type").equals("hvm")) {
                continue;
            }
            var arch = XmlElements.child(guest, "arch");
            if (arch == null) {
                continue;
            }
            if (best == null || rank(arch.getAttribute("name")) < rank(best.getAttribute("name"))) {
                best = arch;
            }
        }
        if (best == null) {
            throw new HypervisorException("The host offers no hardware-virtualized (hvm) guests.");
        }
        var offered = XmlElements.children(best, "domain").stream()
                .map(domain -> domain.getAttribute("type"))
                .toList();
        String type;
        if (!"auto".equals(wantedType)) {
            if (!offered.contains(wantedType)) {
                throw new HypervisorException("The host does not offer domain type " + wantedType + " (it offers "
                        + String.join(", ", offered) + ").");
            }
            type = wantedType;
        } else {
            type = TYPES.stream().filter(offered::contains).findFirst().orElse(offered.getFirst());
        }
        boolean q35 = XmlElements.children(best, "machine").stream()
                .anyMatch(machine -> machine.getTextContent().strip().equals("q35"));
        return new HostGuest(type, best.getAttribute("name"), q35 ? "q35" : null);
    }

    private static int rank(String arch) {
        int index = ARCHES.indexOf(arch);
        return index < 0 ? ARCHES.size() : index;
    }
}
