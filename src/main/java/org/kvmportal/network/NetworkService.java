package org.kvmportal.network;

import static org.kvmportal.base.InputRefusedException.failedIfRefused;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.kvmportal.audit.Actor;
import org.kvmportal.audit.AuditEntry;
import org.kvmportal.audit.AuditLog;
import org.kvmportal.base.CurrentUser;
import org.kvmportal.base.Failures;
import org.kvmportal.hypervisor.DhcpLease;
import org.kvmportal.hypervisor.Hypervisor;
import org.kvmportal.hypervisor.NatNetwork;
import org.kvmportal.hypervisor.VirtualNetwork;
import org.kvmportal.hypervisor.VirtualNetworks;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/**
 * Virtual networks for admins. A new network's input is checked here, field by field, before any libvirt
 * call (its name is free, its subnet private and clear of the host's other networks); every change is audited.
 */
@Service
@PreAuthorize("hasRole('ADMIN')")
public class NetworkService {

    private final CurrentUser caller;

    private final Hypervisor hypervisor;
    private final VirtualNetworks networks;
    private final AuditLog audit;

    NetworkService(Hypervisor hypervisor, VirtualNetworks networks, AuditLog audit, CurrentUser caller) {
        this.caller = caller;
        this.hypervisor = hypervisor;
        this.networks = networks;
        this.audit = audit;
    }

    /** The hosts connected now, in the configured order. */
    @PreAuthorize("hasRole('ADMIN')")
    public List<String> hosts() {
        return hypervisor.connectedHosts();
    }

    @PreAuthorize("hasRole('ADMIN')")
    public CompletableFuture<List<VirtualNetwork>> networks(String host) {
        return failedIfRefused(() -> networks.networks(host(host)));
    }

    @PreAuthorize("hasRole('ADMIN')")
    public CompletableFuture<Void> start(String host, String network) {
        return audited("NETWORK_START", host, network, () -> networks.start(host(host), network(network)));
    }

    /** Stops the network: the guests on it lose their connection until it starts again. */
    @PreAuthorize("hasRole('ADMIN')")
    public CompletableFuture<Void> stop(String host, String network) {
        return audited("NETWORK_STOP", host, network, () -> networks.stop(host(host), network(network)));
    }

    @PreAuthorize("hasRole('ADMIN')")
    public CompletableFuture<Void> setAutostart(String host, String network, boolean autostart) {
        return audited(
                autostart ? "NETWORK_AUTOSTART_ON" : "NETWORK_AUTOSTART_OFF",
                host,
                network,
                () -> networks.setAutostart(host(host), network(network), autostart));
    }

    @PreAuthorize("hasRole('ADMIN')")
    public CompletableFuture<List<DhcpLease>> leases(String host, String network) {
        return failedIfRefused(() -> networks.leases(host(host), network(network)));
    }

    /**
     * Defines (does not start) a NAT network. Bad input fails the future with {@link NetworkInputException}
     * naming the field; nothing is defined then.
     *
     * @param address the host's address on the new network with its prefix, e.g. {@code 192.168.150.1/24}
     */
    @PreAuthorize("hasRole('ADMIN')")
    public CompletableFuture<VirtualNetwork> defineNat(
            String host, String name, String address, String dhcpStart, String dhcpEnd) {
        var actor = audit.actor();
        return failedIfRefused(() -> networks.networks(host(host))).thenCompose(existing -> {
            NatNetwork network = NetworkInput.nat(name, address, dhcpStart, dhcpEnd, existing);
            return networks.defineNat(host, network)
                    .whenComplete((defined, error) -> record(
                            actor,
                            "NETWORK_DEFINE",
                            host,
                            network.name(),
                            error == null ? "SUCCESS" : "FAILURE",
                            error == null
                                    ? "NAT " + network.address() + "/" + network.prefix() + ", DHCP "
                                            + network.dhcpStart() + " - " + network.dhcpEnd()
                                    : Failures.causeOf(error).getMessage()));
        });
    }

    private String host(String host) {
        if (host == null || !hosts().contains(host)) {
            throw new NetworkInputException("host", "Choose a connected host from the list.");
        }
        return host;
    }

    private static String network(String network) {
        if (network == null || network.isBlank() || network.length() > 255 || network.contains("/")) {
            throw new NetworkInputException("network", "Choose a network from the list.");
        }
        return network;
    }

    private CompletableFuture<Void> audited(
            String action, String host, String network, Supplier<CompletableFuture<Void>> call) {
        var actor = audit.actor();
        return failedIfRefused(call)
                .whenComplete((ignored, error) -> record(
                        actor,
                        action,
                        host,
                        network,
                        error == null ? "SUCCESS" : "FAILURE",
                        error == null ? null : Failures.causeOf(error).getMessage()));
    }

    private void record(Actor actor, String action, String host, String network, String result, String detail) {
        audit.record(AuditEntry.of(actor, action, host + "/" + network, null, null, result, detail));
    }
}
