package org.kvmportal.hypervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kvmportal.testing.Virsh.virsh;
import static org.kvmportal.testing.Virsh.virshQuietly;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.DomainStateChanged;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.HostState;
import org.kvmportal.hypervisor.PowerState;
import org.kvmportal.testing.Virsh;

/**
 * Lifecycle against real QEMU guests on {@code qemu:///system}: the demo VMs that scripts/demo-host.sh
 * defines (a tiny Linux that boots to a shell in seconds and powers off on the ACPI button).
 */
class DemoHostIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final RecordingEvents events = new RecordingEvents();
    private LibvirtHypervisor hypervisor;

    @BeforeEach
    void connect() throws InterruptedException {
        hypervisor = new LibvirtHypervisor(Map.of("local", Virsh.SYSTEM), events, Clock.systemUTC());
        events.await(
                org.kvmportal.hypervisor.HostStateChanged.class, e -> e.status().state() == HostState.CONNECTED, WAIT);
    }

    @AfterEach
    void cleanUp() {
        virshQuietly("destroy", "demo-alpha");
        virshQuietly("destroy", "demo-charlie");
        hypervisor.close();
    }

    @Test
    void a_demo_vm_starts_runs_reports_statistics_and_is_forced_off() throws Exception {
        var alpha = demo("demo-alpha");
        assertThat(alpha.state()).isEqualTo(PowerState.SHUT_OFF);

        hypervisor.start(alpha.ref()).join();
        awaitState(alpha.ref(), PowerState.RUNNING);
        assertThat(virsh("domstate", "demo-alpha")).isEqualTo("running");

        var stats = hypervisor.bulkStats("local").join().stream()
                .filter(record -> record.ref().equals(alpha.ref()))
                .findFirst()
                .orElseThrow();
        assertThat(stats.longValue("state.state", -1)).isEqualTo(1);
        assertThat(stats.longValue("cpu.time", -1)).isPositive();
        assertThat(stats.longValue("balloon.maximum", -1)).isEqualTo(alpha.maxMemoryKiB());
        assertThat(stats.fields()).containsKey("block.0.name");

        hypervisor.forceOff(alpha.ref()).join();
        awaitState(alpha.ref(), PowerState.SHUT_OFF);
        assertThat(virsh("domstate", "demo-alpha", "--reason")).isEqualTo("shut off (destroyed)");
    }

    @Test
    void a_booted_guest_shuts_down_gracefully_on_the_acpi_button() throws Exception {
        var charlie = demo("demo-charlie");
        hypervisor.start(charlie.ref()).join();
        awaitState(charlie.ref(), PowerState.RUNNING);

        // The guest ignores the button until its acpid runs (a few seconds after start): press it again
        // every few seconds, as a person would, until the guest powers off.
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (hypervisor.domain(charlie.ref()).orElseThrow().state() != PowerState.SHUT_OFF) {
            assertThat(System.nanoTime()).as("guest shut down within 90 s").isLessThan(deadline);
            hypervisor.shutdown(charlie.ref()).exceptionally(error -> null).join();
            Thread.sleep(3000);
        }

        assertThat(virsh("domstate", "demo-charlie", "--reason")).isEqualTo("shut off (shutdown)");
    }

    @Test
    void details_describe_the_disk_nic_and_graphics_of_the_definition() {
        var details = hypervisor.details(demo("demo-alpha").ref()).join();

        assertThat(details.osType()).startsWith("hvm (pc");
        assertThat(details.disks()).singleElement().satisfies(disk -> {
            assertThat(disk.target()).isEqualTo("vda");
            assertThat(disk.bus()).isEqualTo("virtio");
            assertThat(disk.source()).endsWith("/demo-alpha.qcow2");
            assertThat(disk.capacityBytes()).isEqualTo(64L * 1024 * 1024);
        });
        assertThat(details.nics()).singleElement().satisfies(nic -> {
            assertThat(nic.type()).isEqualTo("user");
            assertThat(nic.model()).isEqualTo("virtio");
            assertThat(nic.mac()).matches("52:54:00(:[0-9a-f]{2}){3}");
        });
        assertThat(details.graphics()).singleElement().satisfies(graphics -> {
            assertThat(graphics.type()).isEqualTo("vnc");
            assertThat(graphics.listen()).isEqualTo("127.0.0.1");
        });
    }

    @Test
    void a_change_made_with_virsh_arrives_as_an_event() throws Exception {
        var alpha = demo("demo-alpha");
        events.clear();

        virsh("start", "demo-alpha");

        events.await(
                DomainStateChanged.class,
                e -> e.domain().ref().equals(alpha.ref()) && e.domain().state() == PowerState.RUNNING,
                WAIT);
    }

    private DomainSummary demo(String name) {
        return hypervisor.domains().stream()
                .filter(domain -> domain.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not defined: run scripts/demo-host.sh"));
    }

    private void awaitState(DomainRef ref, PowerState state) throws InterruptedException {
        events.await(
                DomainStateChanged.class,
                e -> e.domain().ref().equals(ref) && e.domain().state() == state,
                WAIT);
        assertThat(hypervisor.domain(ref)).map(DomainSummary::state).contains(state);
    }
}
