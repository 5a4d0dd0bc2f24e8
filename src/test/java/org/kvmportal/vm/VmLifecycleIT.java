package org.kvmportal.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kvmportal.testing.Virsh.virsh;
import static org.kvmportal.testing.Virsh.virshQuietly;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.HostState;
import org.kvmportal.hypervisor.Hypervisor;
import org.kvmportal.hypervisor.PowerState;
import org.kvmportal.testing.TestAccounts;
import org.kvmportal.testing.Virsh;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Every lifecycle action on a real QEMU guest (demo-alpha), each checked with virsh afterwards. */
@SpringBootTest
@WithMockUser(username = "lifecycle-admin", roles = "ADMIN")
class VmLifecycleIT {

    private static final String VM = "demo-alpha";

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void demoHost(DynamicPropertyRegistry registry) {
        Virsh.asOnlyHost(registry, () -> dir);
    }

    @Autowired
    VmService vms;

    @Autowired
    Hypervisor hypervisor;

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void adminAccount() {
        new TestAccounts(jdbc).user("lifecycle-admin", "ADMIN");
    }

    @AfterEach
    void leaveItOff() {
        virshQuietly("managedsave-remove", VM);
        virshQuietly("destroy", VM);
        virshQuietly("autostart", "--disable", VM);
    }

    @Test
    void each_action_does_what_virsh_then_reports() throws Exception {
        var ref = demoAlpha();

        act(VmAction.START, ref);
        assertThat(virsh("domstate", VM)).isEqualTo("running");
        act(VmAction.PAUSE, ref);
        assertThat(virsh("domstate", VM)).isEqualTo("paused");
        act(VmAction.RESUME, ref);
        assertThat(virsh("domstate", VM)).isEqualTo("running");
        act(VmAction.RESET, ref);
        assertThat(virsh("domstate", VM)).isEqualTo("running");
        act(VmAction.REBOOT, ref);
        assertThat(virsh("domstate", VM)).isEqualTo("running");

        act(VmAction.SAVE, ref);
        assertThat(virsh("domstate", VM, "--reason")).isEqualTo("shut off (saved)");
        assertThat(awaitState(ref, PowerState.SHUT_OFF).managedSave()).isTrue();
        act(VmAction.RESTORE, ref);
        assertThat(virsh("domstate", VM, "--reason")).isEqualTo("running (restored)");

        shutDownGracefully(ref);
        assertThat(virsh("domstate", VM, "--reason")).isEqualTo("shut off (shutdown)");

        act(VmAction.START, ref);
        act(VmAction.FORCE_OFF, ref);
        assertThat(virsh("domstate", VM, "--reason")).isEqualTo("shut off (destroyed)");

        act(VmAction.AUTOSTART_ON, ref);
        assertThat(virsh("dominfo", VM)).containsPattern("Autostart:\\s+enable");
        act(VmAction.AUTOSTART_OFF, ref);
        assertThat(virsh("dominfo", VM)).containsPattern("Autostart:\\s+disable");
    }

    @Test
    void reset_to_clean_state_reverts_to_the_snapshot_an_admin_marked() throws Exception {
        var ref = demoAlpha();
        virshQuietly("snapshot-delete", VM, "kp-clean");
        virsh("snapshot-create-as", VM, "kp-clean", "--description", "made by VmLifecycleIT");
        try {
            assertThatThrownBy(() -> vms.markClean(ref, "no-such-snapshot").join())
                    .hasMessageContaining("demo-alpha has no snapshot named \"no-such-snapshot\".");
            assertThat(vms.cleanSnapshot(ref)).isEmpty();
            vms.markClean(ref, "kp-clean").join();
            assertThat(vms.cleanSnapshot(ref)).contains("kp-clean");

            act(VmAction.START, ref);
            assertThat(virsh("domstate", VM)).isEqualTo("running");
            act(VmAction.REVERT, ref);
            // The snapshot was taken while it was off: reverting puts it back off.
            assertThat(virsh("domstate", VM)).isEqualTo("shut off");
        } finally {
            virshQuietly("snapshot-delete", VM, "kp-clean");
        }
    }

    @Test
    void a_running_vm_is_measured_by_the_shared_poller() throws Exception {
        var ref = demoAlpha();
        act(VmAction.START, ref);

        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (vms.latestSample(ref).isEmpty()) {
            assertThat(System.nanoTime()).as("a sample within 20 s").isLessThan(deadline);
            Thread.sleep(200);
        }
        var sample = vms.latestSample(ref).orElseThrow();
        assertThat(sample.cpuPercent()).isBetween(0.0, 100.0);
        assertThat(sample.memoryUsedKiB()).isPositive();
        assertThat(sample.diskReadBytesPerSecond()).isNotNegative();
        assertThat(vms.sampleHistory(ref)).isNotEmpty().last().isEqualTo(sample);
    }

    /** The guest listens to the ACPI button only once booted: ask again every few seconds, as a person would. */
    private void shutDownGracefully(DomainRef ref) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (vms.find(ref).orElseThrow().state() != PowerState.SHUT_OFF) {
            assertThat(System.nanoTime()).as("shut down within 90 s").isLessThan(deadline);
            vms.perform(VmAction.SHUTDOWN, ref).exceptionally(error -> null).join();
            Thread.sleep(3000);
        }
    }

    private void act(VmAction action, DomainRef ref) {
        vms.perform(action, ref).join();
    }

    private org.kvmportal.hypervisor.DomainSummary awaitState(DomainRef ref, PowerState state)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            var vm = vms.find(ref).orElseThrow();
            if (vm.state() == state) {
                return vm;
            }
            assertThat(System.nanoTime()).as(VM + " reaches " + state).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private DomainRef demoAlpha() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (hypervisor.hosts().getFirst().state() != HostState.CONNECTED) {
            assertThat(System.nanoTime()).as("host connected").isLessThan(deadline);
            Thread.sleep(50);
        }
        return vms.visibleVms().stream()
                .filter(vm -> vm.name().equals(VM))
                .findFirst()
                .orElseThrow(() -> new AssertionError(VM + " is not defined: run scripts/demo-host.sh"))
                .ref();
    }
}
