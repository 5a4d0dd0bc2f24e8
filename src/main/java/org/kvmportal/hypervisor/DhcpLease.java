package org.kvmportal.hypervisor;

import java.time.Instant;

/**
 * An address a network's DHCP server handed out.
 *
 * @param address with prefix, e.g. {@code 192.168.122.5/24}
 * @param hostname as the guest announced it, empty when it did not
 * @param expires when the lease ends
 */
public record DhcpLease(String mac, String address, String hostname, Instant expires) {}
