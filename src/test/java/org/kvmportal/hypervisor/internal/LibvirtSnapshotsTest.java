package org.kvmportal.hypervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.HostState;
import org.kvmportal.hypervisor.HypervisorException;
import org.kvmportal.hypervisor.PowerState;
import org.kvmportal.hypervisor.Snapshot;
import org.kvmportal.hypervisor.SnapshotKind;
import org.kvmportal.hypervisor.SnapshotState;
import org.kvmportal.testing.TestHostXml;
import org.kvmportal.testing.TestHostXml.RunState;

/**
 * Snapshots against libvirt's test driver: real libvirt, in-process, with one running VM of its own per test (a
 * host file each, so no test sees another's snapshots). The test driver takes, lists, reverts and deletes
 * internal snapshots with and without memory; it has no disk-only (external) snapshots.
 */
class LibvirtSnapshotsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final RecordingEvents events = new RecordingEvents();
    private LibvirtHypervisor hypervisor;
    private LibvirtSnapshots snapshots;
    private DomainRef vm;

    @BeforeEach
    void connect(@TempDir Path dir) throws InterruptedException {
        String uri = TestHostXml.write(
                dir.resolve("host.xml"), List.of(new TestHostXml.Vm("snappy", RunState.RUNNING, 1, 262_144)));
        hypervisor = new LibvirtHypervisor(Map.of("sim", uri), events, Clock.systemUTC());
        snapshots = new LibvirtSnapshots(hypervisor);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (hypervisor.hosts().getFirst().state() != HostState.CONNECTED
                || hypervisor.domains().isEmpty()) {
            assertThat(System.nanoTime()).as("host connected").isLessThan(deadline);
            Thread.sleep(20);
        }
        vm = hypervisor.domains().getFirst().ref();
    }

    @AfterEach
    void close() {
        hypervisor.close();
    }

    @Test
    void snapshots_of_a_running_vm_form_a_tree_with_memory_and_the_newest_current() {
        var before = Instant.now().minusSeconds(1);
        snapshots.create(vm, "base", "", SnapshotKind.FULL).join();
        snapshots.create(vm, "child", "", SnapshotKind.FULL).join();

        var list = snapshots.list(vm).join();

        assertThat(list).extracting(Snapshot::name).containsExactly("base", "child");
        var base = list.get(0);
        var child = list.get(1);
        assertThat(base.parent()).isNull();
        assertThat(child.parent()).isEqualTo("base");
        assertThat(base.state()).isEqualTo(SnapshotState.RUNNING);
        assertThat(base.memory()).isTrue();
        assertThat(base.external()).isFalse();
        assertThat(base.created()).isBetween(before, Instant.now().plusSeconds(1));
        assertThat(base.current()).isFalse();
        assertThat(child.current()).isTrue();
    }

    @Test
    void a_description_comes_back_exactly_as_it_was_given() {
        String description = "  <b>not markup</b> & \"quotes\" 'too'\n\tÄÖü → 日本語 🙂\n\ntrailing spaces  ";

        snapshots.create(vm, "described", description, SnapshotKind.FULL).join();

        assertThat(snapshots.list(vm).join())
                .singleElement()
                .satisfies(snapshot -> assertThat(snapshot.description()).isEqualTo(description));
    }

    @Test
    void revert_brings_a_stopped_vm_back_running_and_makes_the_snapshot_current() throws Exception {
        snapshots.create(vm, "running", "", SnapshotKind.FULL).join();
        snapshots.create(vm, "later", "", SnapshotKind.FULL).join();
        hypervisor.forceOff(vm).join();
        awaitState(PowerState.SHUT_OFF);

        snapshots.revert(vm, "running", false).join();

        awaitState(PowerState.RUNNING);
        assertThat(snapshots.list(vm).join())
                .filteredOn(Snapshot::current)
                .extracting(Snapshot::name)
                .containsExactly("running");
    }

    @Test
    void reverting_a_running_vm_to_a_snapshot_without_memory_stops_it() throws Exception {
        hypervisor.forceOff(vm).join();
        awaitState(PowerState.SHUT_OFF);
        snapshots.create(vm, "off", "", SnapshotKind.FULL).join();
        assertThat(snapshots.list(vm).join()).singleElement().satisfies(snapshot -> {
            assertThat(snapshot.state()).isEqualTo(SnapshotState.SHUT_OFF);
            assertThat(snapshot.memory()).isFalse();
        });
        hypervisor.start(vm).join();
        awaitState(PowerState.RUNNING);

        snapshots.revert(vm, "off", false).join();

        // "Start it afterwards" is checked on QEMU (QemuSnapshotsIT): the test driver ignores that flag.
        awaitState(PowerState.SHUT_OFF);
    }

    @Test
    void deleting_a_snapshot_keeps_its_children_under_its_parent() {
        snapshots.create(vm, "one", "", SnapshotKind.FULL).join();
        snapshots.create(vm, "two", "", SnapshotKind.FULL).join();
        snapshots.create(vm, "three", "", SnapshotKind.FULL).join();

        snapshots.delete(vm, "two").join();

        var list = snapshots.list(vm).join();
        assertThat(list).extracting(Snapshot::name).containsExactly("one", "three");
        assertThat(list.get(1).parent()).isEqualTo("one");
    }

    @Test
    void a_snapshot_that_is_gone_is_named_as_gone() {
        assertThatThrownBy(() -> snapshots.revert(vm, "never-made", false).join())
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOf(HypervisorException.class)
                .hasMessage("Could not revert snappy to snapshot \"never-made\": the snapshot no longer exists.");
    }

    @Test
    void the_test_driver_takes_full_snapshots_only_and_says_so() {
        var support = snapshots.support(vm).join();
        assertThat(support.full()).isTrue();
        assertThat(support.diskOnly()).isFalse();

        assertThatThrownBy(() -> snapshots
                        .create(vm, "overlay", "", SnapshotKind.DISK_ONLY)
                        .join())
                .cause()
                .isInstanceOf(HypervisorException.class)
                .hasMessage("Could not take a disk-only snapshot of snappy: the host's hypervisor does not support"
                        + " this kind of snapshot.");
        assertThat(snapshots.list(vm).join()).isEmpty();
    }

    @Test
    void the_tree_order_puts_parents_first_and_siblings_oldest_first() {
        var t0 = Instant.parse("2026-01-01T00:00:00Z");
        var list = List.of(
                snapshot("late-root", null, t0.plusSeconds(50)),
                snapshot("b", "root", t0.plusSeconds(20)),
                snapshot("a", "root", t0.plusSeconds(10)),
                snapshot("a1", "a", t0.plusSeconds(30)),
                snapshot("root", null, t0));

        assertThat(LibvirtSnapshots.treeOrder(list))
                .extracting(Snapshot::name)
                .containsExactly("root", "a", "a1", "b", "late-root");
    }

    private static Snapshot snapshot(String name, String parent, Instant created) {
        return new Snapshot(name, "", created, SnapshotState.RUNNING, parent, true, false, false);
    }

    private void awaitState(PowerState expected) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (hypervisor.domain(vm).orElseThrow().state() != expected) {
            assertThat(System.nanoTime()).as("state " + expected).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
