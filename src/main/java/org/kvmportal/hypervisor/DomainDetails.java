package org.kvmportal.hypervisor;

import java.util.List;

/**
 * A domain's definition as its details page shows it, read from its XML (secrets never included).
 *
 * @param osType e.g. {@code hvm}, with the machine type when known (e.g. {@code hvm (pc-i440fx-7.2)})
 */
public record DomainDetails(
        DomainSummary summary,
        String osType,
        String description,
        List<Disk> disks,
        List<Nic> nics,
        List<Graphics> graphics) {

    public DomainDetails {
        description = description == null ? "" : description;
        disks = List.copyOf(disks);
        nics = List.copyOf(nics);
        graphics = List.copyOf(graphics);
    }

    /** @param capacityBytes the size the guest sees, or -1 when unknown (e.g. an empty CD-ROM drive) */
    public record Disk(String target, String device, String bus, String source, long capacityBytes) {}

    /**
     * @param source the network, bridge or kind of user networking the NIC is attached to
     * @param addresses IP addresses with prefix (e.g. {@code 192.168.122.5/24}) when libvirt knows them
     */
    public record Nic(String mac, String type, String source, String model, List<String> addresses) {

        public Nic {
            addresses = List.copyOf(addresses);
        }
    }

    /** @param port the port when the domain runs and the server listens on TCP, else -1 */
    public record Graphics(String type, String listen, int port) {}
}
