package org.kvmportal.hypervisor;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * libvirt's virtual networks on the managed hosts. Like {@link Hypervisor}, every call runs on the host's own
 * thread with a timeout, fails with a {@link HypervisorException} written for a person, and checks no rights.
 */
public interface VirtualNetworks {

    /** Every network of the host, active and inactive, by name. */
    CompletableFuture<List<VirtualNetwork>> networks(String host);

    CompletableFuture<Void> start(String host, String network);

    /** Stops the network: guests attached to it lose their connection until it starts again. */
    CompletableFuture<Void> stop(String host, String network);

    CompletableFuture<Void> setAutostart(String host, String network, boolean autostart);

    /** The DHCP leases the running network has handed out. */
    CompletableFuture<List<DhcpLease>> leases(String host, String network);

    /** Defines (does not start) a persistent NAT network. */
    CompletableFuture<VirtualNetwork> defineNat(String host, NatNetwork network);
}
