package org.kvmportal.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kvmportal.testing.SignedIn.as;
import static org.kvmportal.testing.SignedIn.refusal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.Hypervisor;
import org.kvmportal.hypervisor.PowerState;
import org.kvmportal.hypervisor.Snapshot;
import org.kvmportal.hypervisor.SnapshotKind;
import org.kvmportal.hypervisor.SnapshotState;
import org.kvmportal.testing.SimulatedHost;
import org.kvmportal.testing.TestAccounts;
import org.kvmportal.testing.TestHostXml.RunState;
import org.kvmportal.testing.TestHostXml.Vm;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The snapshot service on a simulated host (libvirt's test driver): who may do what, input checked before
 * libvirt with nothing changed on a refusal, the audit trail, and how snapshots meet the clean state.
 */
@SpringBootTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VmSnapshotsTest {

    private static final Path dir = newDir();

    private static Path newDir() {
        try {
            return Files.createTempDirectory("vm-snapshots");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void simulatedHost(DynamicPropertyRegistry registry) {
        SimulatedHost.register(registry, dir, List.of(new Vm("snap-vm", RunState.RUNNING, 1, 262_144)));
    }

    @Autowired
    VmSnapshots snapshots;

    @Autowired
    VmService vms;

    @Autowired
    VmAssignments assignments;

    @Autowired
    Hypervisor hypervisor;

    @Autowired
    JdbcClient jdbc;

    private DomainRef vm;

    @BeforeAll
    void people() throws InterruptedException {
        SimulatedHost.awaitListed(hypervisor, 1);
        vm = hypervisor.domains().getFirst().ref();
        var accounts = new TestAccounts(jdbc);
        accounts.user("s-admin", "ADMIN");
        accounts.user("s-manager", "USER");
        accounts.user("s-operator", "USER");
        accounts.user("s-helpdesk", "HELPDESK");
        as("s-admin", "ADMIN", () -> {
            assignments.assign(List.of(vm), new Grantee.User("s-manager"), VmAccessLevel.MANAGE);
            assignments.assign(List.of(vm), new Grantee.User("s-operator"), VmAccessLevel.OPERATE);
            return null;
        });
    }

    @BeforeEach
    void noSnapshotsAndRunning() {
        for (String name : hypervisor.snapshotNames(vm).join()) {
            as("s-admin", "ADMIN", () -> snapshots.delete(vm, name).join());
        }
        if (hypervisor.domain(vm).orElseThrow().state() != PowerState.RUNNING) {
            hypervisor.start(vm).join();
        }
    }

    @Test
    void admins_and_manage_grantees_take_list_revert_and_delete_snapshots() {
        as(
                "s-admin",
                "ADMIN",
                () -> snapshots.create(vm, "by-admin", "", SnapshotKind.FULL).join());
        as(
                "s-manager",
                "USER",
                () -> snapshots.create(vm, "by-manager", "", SnapshotKind.FULL).join());

        var list = as("s-manager", "USER", () -> snapshots.list(vm).join());
        assertThat(list).extracting(Snapshot::name).containsExactly("by-admin", "by-manager");
        assertThat(list.get(1).parent()).isEqualTo("by-admin");

        as("s-manager", "USER", () -> snapshots.revert(vm, "by-admin", false).join());
        as("s-manager", "USER", () -> snapshots.delete(vm, "by-manager").join());
        assertThat(hypervisor.snapshotNames(vm).join()).containsExactly("by-admin");
        assertThat(auditDetails("s-manager"))
                .contains(
                        "VM_SNAPSHOT_CREATE SUCCESS by-manager (full)",
                        "VM_SNAPSHOT_REVERT SUCCESS by-admin",
                        "VM_SNAPSHOT_DELETE SUCCESS by-manager");
    }

    @Test
    void operators_and_help_desk_may_not_see_or_change_snapshots_and_refusals_are_audited() {
        as(
                "s-admin",
                "ADMIN",
                () -> snapshots.create(vm, "kept", "", SnapshotKind.FULL).join());

        for (var who : List.of(new String[] {"s-operator", "USER"}, new String[] {"s-helpdesk", "HELPDESK"})) {
            as(who[0], who[1], () -> {
                assertThat(snapshots.mayManage(vm)).isFalse();
                assertThat(refusal(() -> snapshots.list(vm).join()))
                        .isEqualTo("You may not manage the snapshots of snap-vm.");
                assertThat(refusal(() -> snapshots
                                .create(vm, "sneaky", "", SnapshotKind.FULL)
                                .join()))
                        .isEqualTo("You may not manage the snapshots of snap-vm.");
                assertThat(refusal(() -> snapshots.revert(vm, "kept", false).join()))
                        .isEqualTo("You may not manage the snapshots of snap-vm.");
                assertThat(refusal(() -> snapshots.delete(vm, "kept").join()))
                        .isEqualTo("You may not manage the snapshots of snap-vm.");
                return null;
            });
        }
        assertThat(hypervisor.snapshotNames(vm).join()).containsExactly("kept");
        assertThat(auditDetails("s-operator"))
                .contains("VM_SNAPSHOT_DELETE REFUSED kept: You may not manage the snapshots of snap-vm.");
        assertThat(as("s-manager", "USER", () -> snapshots.mayManage(vm))).isTrue();
    }

    @Test
    void names_and_descriptions_are_checked_before_libvirt_and_nothing_changes_on_a_refusal() {
        as(
                "s-admin",
                "ADMIN",
                () -> snapshots.create(vm, "taken", "", SnapshotKind.FULL).join());
        String tooLong = "a".repeat(SnapshotInput.MAX_NAME_LENGTH + 1);

        for (String bad : List.of("", "  ", "with space", "../escape", "-dash-first", "1234", tooLong, "taken", "é")) {
            var error = inputRefusal(() -> snapshots.create(vm, bad, "", SnapshotKind.FULL));
            assertThat(error.field()).as(bad).isEqualTo("name");
        }
        assertThat(inputRefusal(() -> snapshots.create(vm, "fresh", "line\r\nbreak", SnapshotKind.FULL))
                        .field())
                .isEqualTo("description");
        assertThat(inputRefusal(() -> snapshots.create(vm, "fresh", "bell\u0007", SnapshotKind.FULL))
                        .field())
                .isEqualTo("description");
        assertThat(inputRefusal(() -> snapshots.create(
                                vm, "fresh", "x".repeat(SnapshotInput.MAX_DESCRIPTION_LENGTH + 1), SnapshotKind.FULL))
                        .getMessage())
                .isEqualTo("A description has at most 2000 characters.");

        assertThat(hypervisor.snapshotNames(vm).join()).containsExactly("taken");
    }

    @Test
    void any_description_a_person_can_type_comes_back_exactly() {
        String description = "  Before the <b>upgrade</b> & \"tests\"\n\t– Größe: 日本 🙂  ";

        as(
                "s-manager",
                "USER",
                () -> snapshots
                        .create(vm, " padded-name ", description, SnapshotKind.FULL)
                        .join());

        var snapshot = as("s-manager", "USER", () -> snapshots.list(vm).join()).getFirst();
        assertThat(snapshot.name()).isEqualTo("padded-name");
        assertThat(snapshot.description()).isEqualTo(description);
    }

    @Test
    void only_an_admin_deletes_the_clean_state_and_that_clears_the_mark() {
        as("s-admin", "ADMIN", () -> {
            snapshots.create(vm, "clean", "", SnapshotKind.FULL).join();
            vms.markClean(vm, "clean").join();
            return null;
        });
        assertThat(as("s-manager", "USER", () -> snapshots.cleanSnapshot(vm))).contains("clean");

        assertThat(as(
                        "s-manager",
                        "USER",
                        () -> refusal(() -> snapshots.delete(vm, "clean").join())))
                .isEqualTo("\"clean\" is the clean state of snap-vm: only an administrator may delete it.");
        assertThat(hypervisor.snapshotNames(vm).join()).containsExactly("clean");

        as("s-admin", "ADMIN", () -> snapshots.delete(vm, "clean").join());
        assertThat(hypervisor.snapshotNames(vm).join()).isEmpty();
        assertThat(as("s-admin", "ADMIN", () -> vms.cleanSnapshot(vm))).isEmpty();
        assertThat(auditDetails("s-admin")).contains("VM_CLEAN_STATE_CLEARED SUCCESS clean was deleted");
    }

    @Test
    void a_snapshot_marked_from_the_list_is_what_reset_to_clean_state_returns_to() throws Exception {
        as("s-admin", "ADMIN", () -> {
            snapshots.create(vm, "golden", "", SnapshotKind.FULL).join();
            vms.markClean(vm, "golden").join();
            return null;
        });
        hypervisor.forceOff(vm).join();
        awaitState(PowerState.SHUT_OFF);

        as("s-operator", "USER", () -> vms.perform(VmAction.REVERT, vm).join());

        awaitState(PowerState.RUNNING);
        assertThat(as("s-admin", "ADMIN", () -> snapshots.list(vm).join()))
                .filteredOn(Snapshot::current)
                .extracting(Snapshot::name)
                .containsExactly("golden");
        as("s-admin", "ADMIN", () -> vms.markClean(vm, null).join());
    }

    @Test
    void the_revert_warning_says_when_a_running_vm_will_be_stopped() {
        var running = hypervisor.domain(vm).orElseThrow();
        var withMemory = new Snapshot("m", "", Instant.now(), SnapshotState.RUNNING, null, true, false, false);
        var disksOnly = new Snapshot("d", "", Instant.now(), SnapshotState.SHUT_OFF, null, false, false, false);

        assertThat(as("s-manager", "USER", () -> snapshots.revertWarning(running, withMemory)))
                .contains("its disks and its memory")
                .doesNotContain("stopped");
        assertThat(as("s-manager", "USER", () -> snapshots.revertWarning(running, disksOnly)))
                .startsWith("snap-vm is running: it is stopped at once, as if its power were cut")
                .contains("It stays shut off unless you start it afterwards.");
    }

    private List<String> auditDetails(String username) {
        return jdbc.sql("select action || ' ' || result || ' ' || coalesce(detail, '') from audit_event"
                        + " where username = :name order by id")
                .param("name", username)
                .query(String.class)
                .list();
    }

    private void awaitState(PowerState expected) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (hypervisor.domain(vm).orElseThrow().state() != expected) {
            assertThat(System.nanoTime()).as("state " + expected).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static SnapshotInputException inputRefusal(Supplier<java.util.concurrent.CompletableFuture<Void>> call) {
        return as("s-admin", "ADMIN", () -> {
            var future = call.get();
            assertThatThrownBy(future::join).isInstanceOf(CompletionException.class);
            var cause = future.handle((ok, error) -> error).join();
            cause = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
            assertThat(cause).isInstanceOf(SnapshotInputException.class);
            return (SnapshotInputException) cause;
        });
    }
}
