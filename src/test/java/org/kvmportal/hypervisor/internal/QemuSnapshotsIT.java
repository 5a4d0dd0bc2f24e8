package org.kvmportal.hypervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kvmportal.testing.Virsh.virsh;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.FullSnapshotImpossibleException;
import org.kvmportal.hypervisor.HostState;
import org.kvmportal.hypervisor.HostStateChanged;
import org.kvmportal.hypervisor.HypervisorException;
import org.kvmportal.hypervisor.PowerState;
import org.kvmportal.hypervisor.Snapshot;
import org.kvmportal.hypervisor.SnapshotKind;
import org.kvmportal.hypervisor.SnapshotState;
import org.kvmportal.testing.ThrowawayDomain;
import org.kvmportal.testing.Virsh;

/**
 * Snapshots of real QEMU guests on {@code qemu:///system}: throwaway domains of the test's own (the demo VMs are
 * left alone), checked from the host's side with virsh.
 */
class QemuSnapshotsIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final RecordingEvents events = new RecordingEvents();
    private LibvirtHypervisor hypervisor;
    private LibvirtSnapshots snapshots;
    private ThrowawayDomain domain;

    @BeforeEach
    void connect() throws InterruptedException {
        hypervisor = new LibvirtHypervisor(Map.of("local", Virsh.SYSTEM), events, Clock.systemUTC());
        snapshots = new LibvirtSnapshots(hypervisor);
        events.await(HostStateChanged.class, e -> e.status().state() == HostState.CONNECTED, WAIT);
    }

    @AfterEach
    void cleanUp() {
        if (domain != null) {
            domain.close();
        }
        hypervisor.close();
    }

    @Test
    void a_running_guest_gets_a_tree_of_snapshots_with_memory_reverts_and_deletes_them() throws Exception {
        var vm = defineAndFind("qcow2");
        virsh("start", domain.name());
        awaitState(vm, PowerState.RUNNING);
        String description = "Before the <upgrade> & \"tests\"\n\tÄÖü 日本 🙂  ";

        snapshots.create(vm, "base", description, SnapshotKind.FULL).join();
        snapshots.create(vm, "child", "", SnapshotKind.FULL).join();

        assertThat(virsh("snapshot-list", domain.name(), "--tree").lines().map(String::strip))
                .containsSubsequence("base", "+- child");
        var list = snapshots.list(vm).join();
        assertThat(list).extracting(Snapshot::name).containsExactly("base", "child");
        assertThat(list.get(0)).satisfies(base -> {
            assertThat(base.description()).isEqualTo(description);
            assertThat(base.state()).isEqualTo(SnapshotState.RUNNING);
            assertThat(base.memory()).isTrue();
            assertThat(base.external()).isFalse();
            assertThat(base.parent()).isNull();
        });
        assertThat(list.get(1).parent()).isEqualTo("base");
        assertThat(list.get(1).current()).isTrue();

        virsh("destroy", domain.name());
        awaitState(vm, PowerState.SHUT_OFF);
        snapshots.revert(vm, "base", false).join();

        assertThat(virsh("domstate", domain.name())).isEqualTo("running");
        awaitState(vm, PowerState.RUNNING);
        assertThat(virsh("snapshot-current", domain.name(), "--name")).isEqualTo("base");

        snapshots.delete(vm, "child").join();
        assertThat(virsh("snapshot-list", domain.name(), "--name")).isEqualTo("base");
        snapshots.delete(vm, "base").join();
        assertThat(virsh("snapshot-list", domain.name(), "--name")).isEmpty();
        assertThat(virsh("domstate", domain.name())).isEqualTo("running");
    }

    @Test
    void a_snapshot_without_memory_stops_a_running_guest_or_boots_it_again_when_asked() throws Exception {
        var vm = defineAndFind("qcow2");
        snapshots.create(vm, "cold", "", SnapshotKind.FULL).join();
        assertThat(snapshots.list(vm).join()).singleElement().satisfies(cold -> {
            assertThat(cold.state()).isEqualTo(SnapshotState.SHUT_OFF);
            assertThat(cold.memory()).isFalse();
        });
        virsh("start", domain.name());
        awaitState(vm, PowerState.RUNNING);

        snapshots.revert(vm, "cold", false).join();
        assertThat(virsh("domstate", domain.name())).isEqualTo("shut off");

        snapshots.revert(vm, "cold", true).join();
        assertThat(virsh("domstate", domain.name())).isEqualTo("running");
    }

    @Test
    void a_raw_disk_is_refused_a_full_snapshot_in_words_and_gets_a_disk_only_one() throws Exception {
        var vm = defineAndFind("raw");
        var support = snapshots.support(vm).join();
        assertThat(support.full()).isFalse();
        assertThat(support.whyNotFull()).startsWith("its disk vda is a raw image");
        assertThat(support.diskOnly()).isTrue();

        // libvirt's own refusal, not our advance check: the create goes to the host.
        assertThatThrownBy(() ->
                        snapshots.create(vm, "full", "", SnapshotKind.FULL).join())
                .cause()
                .isInstanceOf(FullSnapshotImpossibleException.class)
                .hasMessage("Could not take a full snapshot of " + domain.name() + ": its disk vda is a raw image,"
                        + " and only qcow2 disks can keep snapshots inside them." + SnapshotErrors.DISK_ONLY_OFFER);
        assertThat(virsh("snapshot-list", domain.name(), "--name")).isEmpty();

        snapshots.create(vm, "overlay", "", SnapshotKind.DISK_ONLY).join();

        assertThat(virsh("snapshot-list", domain.name(), "--name")).isEqualTo("overlay");
        assertThat(Files.exists(domain.dir().resolve("disk.overlay"))).isTrue();
        assertThat(snapshots.list(vm).join()).singleElement().satisfies(overlay -> {
            assertThat(overlay.external()).isTrue();
            assertThat(overlay.memory()).isFalse();
        });
        if (!support.diskOnlyRevertible()) {
            assertThatThrownBy(() -> snapshots.revert(vm, "overlay", false).join())
                    .cause()
                    .isInstanceOf(HypervisorException.class)
                    .hasMessageContaining("cannot revert to a disk-only snapshot (libvirt 9.9 and newer can)");
        }

        snapshots.delete(vm, "overlay").join();
        assertThat(virsh("snapshot-list", domain.name(), "--name")).isEmpty();
        assertThat(virsh("domblklist", domain.name()))
                .contains(domain.dir().resolve("disk.raw").toString());
    }

    private DomainRef defineAndFind(String diskFormat) throws InterruptedException {
        domain = ThrowawayDomain.define("kp-snap-it", diskFormat);
        var ref = new DomainRef("local", domain.uuid());
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (hypervisor.domain(ref).isEmpty()) {
            assertThat(System.nanoTime()).as("domain listed").isLessThan(deadline);
            Thread.sleep(50);
        }
        return ref;
    }

    private void awaitState(DomainRef ref, PowerState expected) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (hypervisor.domain(ref).orElseThrow().state() != expected) {
            assertThat(System.nanoTime()).as("state " + expected).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
