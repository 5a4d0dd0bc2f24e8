package org.kvmportal.hypervisor;

/**
 * A NAT network to define: guests get addresses from {@code dhcpStart} to {@code dhcpEnd} and reach outside
 * through the host. Checked by the calling service; the XML is built through a DOM. libvirt picks the bridge.
 *
 * @param address the host's address on the network, e.g. {@code 192.168.150.1}
 * @param prefix the subnet's prefix length, e.g. 24
 */
public record NatNetwork(String name, String address, int prefix, String dhcpStart, String dhcpEnd) {}
