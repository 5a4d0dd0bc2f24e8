package org.kvmportal.hypervisor.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Hosts from configuration, e.g. {@code kvmportal.hosts[0].name=lab-1},
 * {@code kvmportal.hosts[0].uri=qemu+ssh://root@lab-1/system}.
 */
@ConfigurationProperties("kvmportal")
record HypervisorProperties(List<Host> hosts) {

    static final String LOCAL_SYSTEM_URI = "qemu:///system";
    static final String SIMULATED_URI = "test:///default";

    /** Sockets a local libvirt answers on: the monolithic daemon's, then the modular QEMU daemon's. */
    private static final List<Path> LOCAL_SOCKETS =
            List.of(Path.of("/run/libvirt/libvirt-sock"), Path.of("/run/libvirt/virtqemud-sock"));

    record Host(String name, String uri) {}

    HypervisorProperties {
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
    }

    /**
     * The configured hosts, or when none are: the local system daemon if its socket exists, otherwise
     * libvirt's built-in simulated host so that the portal still starts and can be explored.
     */
    List<Host> effectiveHosts() {
        if (!hosts.isEmpty()) {
            return hosts;
        }
        if (LOCAL_SOCKETS.stream().anyMatch(Files::exists)) {
            return List.of(new Host("local", LOCAL_SYSTEM_URI));
        }
        return List.of(new Host("simulated", SIMULATED_URI));
    }
}
