package org.kvmportal.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.kvmportal.hypervisor.HostState;
import org.kvmportal.hypervisor.Hypervisor;
import org.springframework.test.context.DynamicPropertyRegistry;

/** One simulated host named "sim" (libvirt's test driver with the given VMs) for Spring tests. */
public final class SimulatedHost {

    private SimulatedHost() {}

    /** Makes the portal connect to a host with these VMs, its database under {@code dir}. */
    public static void register(DynamicPropertyRegistry registry, Path dir, List<TestHostXml.Vm> vms) {
        String uri = TestHostXml.write(dir.resolve("host.xml"), vms);
        registry.add("kvmportal.hosts[0].name", () -> "sim");
        registry.add("kvmportal.hosts[0].uri", () -> uri);
        registry.add("kvmportal.data-dir", () -> dir.resolve("data").toString());
    }

    /** Waits up to ten seconds until the host is connected and lists at least {@code domains} VMs. */
    public static void awaitListed(Hypervisor hypervisor, int domains) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (hypervisor.hosts().getFirst().state() != HostState.CONNECTED
                || hypervisor.domains().size() < domains) {
            assertThat(System.nanoTime()).as("host connected").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
