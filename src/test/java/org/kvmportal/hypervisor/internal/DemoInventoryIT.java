package org.kvmportal.hypervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kvmportal.testing.Virsh.virsh;
import static org.kvmportal.testing.Virsh.virshQuietly;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kvmportal.hypervisor.DomainStateChanged;
import org.kvmportal.hypervisor.HostState;
import org.kvmportal.hypervisor.HostStateChanged;
import org.kvmportal.hypervisor.PowerState;
import org.kvmportal.testing.Virsh;

/**
 * The inventory's bulk reload and the uptime against a real QEMU guest on {@code qemu:///system}. Only
 * demo-bravo: the other demo VMs are used by other tests at the same time.
 */
class DemoInventoryIT {

    private static final String VM = "demo-bravo";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @AfterEach
    void shutOff() {
        virshQuietly("destroy", VM);
    }

    @Test
    void qemu_reports_sizes_in_bulk_and_the_reload_reads_what_asking_the_domain_reads() throws Exception {
        virshQuietly("start", VM);
        UUID uuid = UUID.fromString(virsh("domuuid", VM));
        var connect = new PortalConnect(Virsh.SYSTEM);
        try {
            var groups = BulkStatsReader.STATE_GROUP | BulkStatsReader.BALLOON_GROUP | BulkStatsReader.VCPU_GROUP;
            var record = BulkStatsReader.read("local", connect, groups).stream()
                    .filter(r -> r.stats().ref().uuid().equals(uuid))
                    .findFirst()
                    .orElseThrow();
            // No per-domain fallback needed on QEMU: the sizes come with the bulk call.
            assertThat(record.stats().fields()).containsKeys("vcpu.current", "balloon.current", "balloon.maximum");
            assertThat(record.id()).isPositive();

            var reloaded = new DomainInventory("local", event -> {});
            reloaded.reload(connect);
            var asked = new DomainInventory("local", event -> {});
            asked.refresh(connect, uuid);

            assertThat(reloaded.find(uuid, true)).isEqualTo(asked.find(uuid, true));
            assertThat(reloaded.find(uuid, true)).hasValueSatisfying(vm -> {
                assertThat(vm.state()).isEqualTo(PowerState.RUNNING);
                assertThat(vm.vcpus()).isEqualTo(1);
                assertThat(vm.memoryKiB()).isEqualTo(262_144);
                assertThat(vm.persistent()).isTrue();
            });
        } finally {
            connect.close();
        }
    }

    @Test
    void a_start_made_with_virsh_gives_the_vm_an_uptime() throws Exception {
        virshQuietly("destroy", VM);
        UUID uuid = UUID.fromString(virsh("domuuid", VM));
        var events = new RecordingEvents();
        try (var hypervisor = new LibvirtHypervisor(Map.of("local", Virsh.SYSTEM), events, Clock.systemUTC())) {
            events.await(HostStateChanged.class, e -> e.status().state() == HostState.CONNECTED, WAIT);

            var before = Instant.now();
            virsh("start", VM);

            var started = events.await(
                    DomainStateChanged.class,
                    e -> e.domain().ref().uuid().equals(uuid) && e.domain().runningSince() != null,
                    WAIT);
            assertThat(started.domain().runningSince()).isBetween(before, Instant.now());
        }
    }
}
