package org.kvmportal.hypervisor.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.kvmportal.hypervisor.HostDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Hosts from configuration (fixed while the portal runs; admins add others in the UI), e.g. {@code kvmportal.hosts[0].name=lab-1},
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

    /** See {@link org.kvmportal.hypervisor.Hypervisor#defaultHost()}. */
    static HostDefinition defaultHost() {
        if (LOCAL_SOCKETS.stream().anyMatch(Files::exists)) {
            return new HostDefinition("local", LOCAL_SYSTEM_URI);
        }
        return new HostDefinition("simulated", SIMULATED_URI);
    }
}
