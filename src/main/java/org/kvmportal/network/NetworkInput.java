package org.kvmportal.network;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.kvmportal.hypervisor.NatNetwork;
import org.kvmportal.hypervisor.VirtualNetwork;

/** Checks a new NAT network field by field before libvirt sees it. */
final class NetworkInput {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,49}");
    private static final Pattern CIDR = Pattern.compile("([0-9.]+)/(\\d{1,2})");

    private NetworkInput() {}

    /**
     * @param address the host's address with prefix, e.g. {@code 192.168.150.1/24}
     * @param existing the host's networks now: the name must be free and the subnet must not overlap theirs
     */
    static NatNetwork nat(
            String name, String address, String dhcpStart, String dhcpEnd, List<VirtualNetwork> existing) {
        String cleanName = name == null ? "" : name.strip();
        if (!NAME.matcher(cleanName).matches()) {
            throw new NetworkInputException(
                    "name",
                    "A network name has 1 to 50 letters, digits, dots, dashes or underscores, and starts with a"
                            + " letter or digit.");
        }
        for (var network : existing) {
            if (network.name().toLowerCase(Locale.ROOT).equals(cleanName.toLowerCase(Locale.ROOT))) {
                throw new NetworkInputException("name", "There already is a network named " + network.name() + ".");
            }
        }
        var cidr = CIDR.matcher(address == null ? "" : address.strip());
        Ipv4 host = cidr.matches() ? Ipv4.parse(cidr.group(1)) : null;
        int prefix = cidr.matches() ? Integer.parseInt(cidr.group(2)) : -1;
        if (host == null || prefix < 8 || prefix > 30) {
            throw new NetworkInputException(
                    "address", "Enter the host's address with a prefix from 8 to 30, e.g. 192.168.150.1/24.");
        }
        if (!host.isPrivate()) {
            throw new NetworkInputException(
                    "address", "Use a private range: 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16.");
        }
        var subnet = host.network(prefix);
        if (host.equals(subnet) || host.equals(host.broadcast(prefix))) {
            throw new NetworkInputException(
                    "address",
                    host + " is the subnet's own address or its broadcast address; use e.g. "
                            + new Ipv4(subnet.value() + 1) + "/" + prefix + ".");
        }
        for (var network : existing) {
            String overlap = overlap(network, subnet, prefix);
            if (overlap != null) {
                throw new NetworkInputException("address", overlap);
            }
        }
        Ipv4 start = rangeEnd("dhcpStart", dhcpStart, host, subnet, prefix);
        Ipv4 end = rangeEnd("dhcpEnd", dhcpEnd, host, subnet, prefix);
        if (end.value() < start.value()) {
            throw new NetworkInputException("dhcpEnd", "The range ends before it starts (" + start + ").");
        }
        if (host.value() >= start.value() && host.value() <= end.value()) {
            throw new NetworkInputException("dhcpStart", "The range must not include the host's address " + host + ".");
        }
        return new NatNetwork(cleanName, host.toString(), prefix, start.toString(), end.toString());
    }

    private static Ipv4 rangeEnd(String field, String text, Ipv4 host, Ipv4 subnet, int prefix) {
        var address = Ipv4.parse(text);
        if (address == null) {
            throw new NetworkInputException(field, "Enter an IPv4 address, e.g. " + new Ipv4(subnet.value() + 2) + ".");
        }
        if (!address.within(subnet, prefix) || address.equals(subnet) || address.equals(host.broadcast(prefix))) {
            throw new NetworkInputException(
                    field, address + " is not a usable address of " + subnet + "/" + prefix + ".");
        }
        return address;
    }

    /** Why the subnet clashes with this existing network, or null when it does not. */
    private static String overlap(VirtualNetwork network, Ipv4 subnet, int prefix) {
        var cidr = CIDR.matcher(network.address());
        if (!cidr.matches()) {
            return null;
        }
        var other = Ipv4.parse(cidr.group(1));
        int otherPrefix = Integer.parseInt(cidr.group(2));
        if (other == null) {
            return null;
        }
        int shorter = Math.min(prefix, otherPrefix);
        if (subnet.network(shorter).equals(other.network(shorter))) {
            return subnet + "/" + prefix + " overlaps network " + network.name() + " (" + other.network(otherPrefix)
                    + "/" + otherPrefix + ").";
        }
        return null;
    }
}
