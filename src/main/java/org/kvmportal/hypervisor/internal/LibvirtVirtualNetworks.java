package org.kvmportal.hypervisor.internal;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.kvmportal.hypervisor.DhcpLease;
import org.kvmportal.hypervisor.NatNetwork;
import org.kvmportal.hypervisor.VirtualNetwork;
import org.kvmportal.hypervisor.VirtualNetworks;
import org.libvirt.LibvirtException;
import org.libvirt.Network;
import org.springframework.stereotype.Component;

/** {@link VirtualNetworks} over libvirt-java, and JNA for the DHCP leases it lacks. */
@Component
class LibvirtVirtualNetworks implements VirtualNetworks {

    private static final StorageNative lib = StorageNative.INSTANCE;

    private final LibvirtHypervisor hypervisor;

    LibvirtVirtualNetworks(LibvirtHypervisor hypervisor) {
        this.hypervisor = hypervisor;
    }

    @Override
    public CompletableFuture<List<VirtualNetwork>> networks(String host) {
        return call(host, "list the networks of host " + host, HostConnection.READ_TIMEOUT, c -> {
            var names = new TreeSet<String>(String.CASE_INSENSITIVE_ORDER);
            names.addAll(List.of(c.listNetworks()));
            names.addAll(List.of(c.listDefinedNetworks()));
            var networks = new ArrayList<VirtualNetwork>();
            for (String name : names) {
                var network = c.networkLookupByName(name);
                try {
                    networks.add(describe(host, name, network));
                } finally {
                    network.free();
                }
            }
            return networks;
        });
    }

    private static VirtualNetwork describe(String host, String name, Network network) throws LibvirtException {
        var facts = NetworkXml.read(network.getXMLDesc(0));
        return new VirtualNetwork(
                host,
                name,
                network.isActive() == 1,
                network.getAutostart(),
                network.isPersistent() == 1,
                facts.bridge(),
                facts.forwardMode(),
                facts.address(),
                facts.dhcpStart(),
                facts.dhcpEnd());
    }

    @Override
    public CompletableFuture<Void> start(String host, String network) {
        return onNetwork(host, network, "start network " + network, Network::create);
    }

    @Override
    public CompletableFuture<Void> stop(String host, String network) {
        return onNetwork(host, network, "stop network " + network, Network::destroy);
    }

    @Override
    public CompletableFuture<Void> setAutostart(String host, String network, boolean autostart) {
        return onNetwork(
                host,
                network,
                (autostart ? "turn on autostart for network " : "turn off autostart for network ") + network,
                n -> n.setAutostart(autostart));
    }

    @Override
    public CompletableFuture<List<DhcpLease>> leases(String host, String network) {
        String action = "read the DHCP leases of network " + network;
        return call(host, action, HostConnection.READ_TIMEOUT, c -> {
            Pointer pointer = lib.virNetworkLookupByName(c.nativePointer(), network);
            if (pointer == null) {
                throw LibvirtErrors.translateLast(action);
            }
            try {
                return readLeases(pointer, action);
            } finally {
                lib.virNetworkFree(pointer);
            }
        });
    }

    /**
     * Reads libvirt's {@code virNetworkDHCPLease} structs by offset (x86-64 layout): {@code char *iface;
     * long long expirytime; int type; char *mac; char *iaid; char *ipaddr; unsigned int prefix;
     * char *hostname; char *clientid}.
     */
    private static List<DhcpLease> readLeases(Pointer network, String action) {
        var array = new PointerByReference();
        int count = lib.virNetworkGetDHCPLeases(network, null, array, 0);
        if (count < 0) {
            throw LibvirtErrors.translateLast(action);
        }
        var leases = new ArrayList<DhcpLease>();
        Pointer entries = array.getValue();
        if (entries == null) {
            return leases;
        }
        try {
            for (int i = 0; i < count; i++) {
                Pointer lease = entries.getPointer((long) i * Native.POINTER_SIZE);
                try {
                    leases.add(new DhcpLease(
                            string(lease, 24),
                            string(lease, 40) + "/" + lease.getInt(48),
                            string(lease, 56),
                            Instant.ofEpochSecond(lease.getLong(8))));
                } finally {
                    lib.virNetworkDHCPLeaseFree(lease);
                }
            }
        } finally {
            Native.free(Pointer.nativeValue(entries));
        }
        leases.sort(Comparator.comparing(DhcpLease::address));
        return leases;
    }

    private static String string(Pointer struct, long offset) {
        Pointer text = struct.getPointer(offset);
        return text == null ? "" : text.getString(0);
    }

    @Override
    public CompletableFuture<VirtualNetwork> defineNat(String host, NatNetwork network) {
        String action = "define network " + network.name();
        return call(host, action, HostConnection.LIFECYCLE_TIMEOUT, c -> {
            var defined = c.networkDefineXML(NetworkXml.nat(network));
            try {
                return describe(host, network.name(), defined);
            } finally {
                defined.free();
            }
        });
    }

    @FunctionalInterface
    private interface NetworkCall {
        void apply(Network network) throws LibvirtException;
    }

    private CompletableFuture<Void> onNetwork(String host, String network, String action, NetworkCall work) {
        return call(host, action, HostConnection.LIFECYCLE_TIMEOUT, c -> {
            var found = c.networkLookupByName(network);
            try {
                work.apply(found);
                return null;
            } finally {
                found.free();
            }
        });
    }

    private <T> CompletableFuture<T> call(String host, String action, Duration timeout, HostCall<T> work) {
        return hypervisor.onHost(
                host,
                connection -> connection.call(action, timeout, StorageErrors.describing(action, "network", work)));
    }
}
