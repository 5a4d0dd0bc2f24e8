package org.kvmportal.hypervisor;

/**
 * A libvirt virtual network as the networks page lists it.
 *
 * @param forwardMode {@code nat}, {@code route}, {@code bridge}, ...; empty for an isolated network
 * @param address the host's IPv4 address on the network with its prefix, e.g. {@code 192.168.122.1/24};
 *     empty when it has none
 * @param dhcpStart first address of the DHCP range, empty when the network hands out no addresses
 */
public record VirtualNetwork(
        String host,
        String name,
        boolean active,
        boolean autostart,
        boolean persistent,
        String bridge,
        String forwardMode,
        String address,
        String dhcpStart,
        String dhcpEnd) {}
