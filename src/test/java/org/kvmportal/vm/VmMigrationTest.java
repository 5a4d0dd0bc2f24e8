package org.kvmportal.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmportal.audit.AuditEntry;
import org.kvmportal.audit.AuditLog;
import org.kvmportal.audit.AuditQuery;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.HostState;
import org.kvmportal.hypervisor.HostStatus;
import org.kvmportal.hypervisor.Hypervisor;
import org.kvmportal.hypervisor.MigrationMode;
import org.kvmportal.testing.TestAccounts;
import org.kvmportal.testing.TestHostXml;
import org.kvmportal.testing.TestHostXml.RunState;
import org.kvmportal.testing.TestHostXml.Vm;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Moving VMs between two simulated hosts (libvirt's test driver has no migration: the offline move defines
 * on the target and undefines on the source), and every refusal. Live migrations between real daemons are in
 * {@code LibvirtMigratorIT} and {@code VmMigrationIT}.
 */
@SpringBootTest
@WithMockUser(username = "admin", roles = "ADMIN")
class VmMigrationTest {

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void hosts(DynamicPropertyRegistry registry) {
        String a = TestHostXml.write(
                dir.resolve("a.xml"),
                List.of(
                        new Vm("mover", RunState.SHUT_OFF, 1, 262_144),
                        new Vm("runner", RunState.RUNNING, 1, 262_144),
                        new Vm("twin", RunState.SHUT_OFF, 1, 262_144),
                        new Vm("protected", RunState.SHUT_OFF, 1, 262_144)));
        String b = TestHostXml.write(dir.resolve("b.xml"), List.of(new Vm("twin", RunState.SHUT_OFF, 1, 262_144)));
        registry.add("kvmportal.hosts[0].name", () -> "sim-a");
        registry.add("kvmportal.hosts[0].uri", () -> a);
        registry.add("kvmportal.hosts[1].name", () -> "sim-b");
        registry.add("kvmportal.hosts[1].uri", () -> b);
        // Nothing answers on port 1: this host never connects.
        registry.add("kvmportal.hosts[2].name", () -> "gone");
        registry.add("kvmportal.hosts[2].uri", () -> "qemu+tcp://127.0.0.1:1/system");
        registry.add("kvmportal.data-dir", () -> dir.resolve("data").toString());
    }

    /** Stands for a template (the provisioning feature's protection): "protected" must not move. */
    @TestConfiguration
    static class ProtectedVm {
        @Bean
        VmProtection templateLike() {
            return (vm, name) -> name.equals("protected")
                    ? Optional.of(name + " is a template: VMs cloned from it read its disk.")
                    : Optional.empty();
        }
    }

    @Autowired
    VmMigration migration;

    @Autowired
    VmService vms;

    @Autowired
    VmAssignments assignments;

    @Autowired
    VmCleanSnapshots cleanSnapshots;

    @Autowired
    VmOperations operations;

    @Autowired
    Hypervisor hypervisor;

    @Autowired
    AuditLog audit;

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void hostsAreConnected() throws InterruptedException {
        var accounts = new TestAccounts(jdbc);
        accounts.user("admin", "ADMIN");
        accounts.user("alice", "USER");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (hypervisor.hosts().stream()
                        .filter(host -> host.state() == HostState.CONNECTED)
                        .count()
                < 2) {
            assertThat(System.nanoTime()).as("simulated hosts connected").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void only_other_connected_hosts_are_offered_and_the_mode_follows_the_state() {
        assertThat(migration.targetsFor(ref("sim-a", "twin"))).containsExactly("sim-b");
        assertThat(migration.modeFor(vm("sim-a", "runner"))).contains(MigrationMode.LIVE);
        assertThat(migration.modeFor(vm("sim-a", "twin"))).contains(MigrationMode.OFFLINE);
        assertThat(migration.mayMigrate()).isTrue();
    }

    @Test
    void a_shut_off_vm_moves_with_its_grants_and_clean_state_mark_and_the_move_is_audited() throws Exception {
        var from = ref("sim-a", "mover");
        assignments.assign(List.of(from), new Grantee.User("alice"), VmAccessLevel.OPERATE);
        cleanSnapshots.mark(from, "golden", "admin");

        var to = migration.migrate(from, "sim-b", false, 0, progress -> {}).join();

        assertThat(to).isEqualTo(new DomainRef("sim-b", from.uuid()));
        assertThat(hypervisor.domain(to)).get().extracting(DomainSummary::name).isEqualTo("mover");
        awaitGone(from);
        assertThat(assignments.grantsOn(to))
                .singleElement()
                .satisfies(grant -> assertThat(grant.level()).isEqualTo(VmAccessLevel.OPERATE));
        assertThat(assignments.grantsOn(from)).isEmpty();
        assertThat(cleanSnapshots.of(to)).contains("golden");
        assertThat(cleanSnapshots.of(from)).isEmpty();
        assertThat(migration.isMigrating(from)).isFalse();
        assertThat(entries("VM_MIGRATION_STARTED", "VM_MIGRATED"))
                .extracting(AuditEntry::action, AuditEntry::result, AuditEntry::vm)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("VM_MIGRATED", "SUCCESS", to),
                        org.assertj.core.groups.Tuple.tuple("VM_MIGRATION_STARTED", "SUCCESS", from));
    }

    @Test
    void refusals_say_why_and_change_nothing() {
        var twin = ref("sim-a", "twin");
        var runner = ref("sim-a", "runner");

        assertRefused(twin, "sim-a", "twin is already on host sim-a; choose another host.");
        assertRefused(ref("sim-a", "protected"), "sim-b", "protected is a template: VMs cloned from it read its disk.");
        assertRefused(twin, "nowhere", "No host named nowhere is configured.");
        assertRefused(twin, " ", "Choose the host to move twin to.");
        assertThat(refusal(twin, "gone", false, 0)).startsWith("Host gone is not connected (");
        // the test driver derives UUIDs from names: sim-b's twin is "the same VM"
        assertRefused(
                twin, "sim-b", "Host sim-b already has a VM with the UUID of twin (twin); remove it there first.");
        assertRefused(
                runner,
                "sim-b",
                "runner cannot move live to or from a simulated host (libvirt's test driver); shut it down to move"
                        + " it offline.");
        assertThat(refusal(ref("sim-a", "mover-or-not"), "sim-b", false, 0))
                .isEqualTo("That virtual machine no longer exists.");
        assertThat(refusal(twin, "sim-b", true, 0)).startsWith("Disks are copied only when a running VM moves");

        assertThat(hypervisor.domain(twin)).isPresent();
        assertThat(migration.isMigrating(twin)).isFalse();
        assertThat(entries("VM_MIGRATE"))
                .isNotEmpty()
                .allSatisfy(entry -> assertThat(entry.result()).isEqualTo("REFUSED"));
    }

    @Test
    void a_vm_being_moved_takes_no_power_action_and_no_second_move() {
        var twin = ref("sim-a", "twin");
        assertThat(operations.tryBeginMigration(twin)).isTrue();
        try {
            assertThatThrownBy(() -> vms.perform(VmAction.START, twin).join())
                    .hasCauseInstanceOf(VmActionException.class)
                    .hasMessageContaining("twin is being moved to another host; wait until it ends.");
            assertThat(refusal(twin, "gone", false, 0)).startsWith("Host gone is not connected");
        } finally {
            operations.endMigration(twin);
        }
        assertThat(migration.cancel(twin)).as("nothing to cancel").isFalse();
    }

    @Test
    @WithMockUser(username = "alice", roles = "USER")
    void only_admins_move_vms() {
        var twin = new DomainRef(
                "sim-a",
                hypervisor.domains().stream()
                        .filter(d -> d.name().equals("twin") && d.ref().host().equals("sim-a"))
                        .findFirst()
                        .orElseThrow()
                        .ref()
                        .uuid());

        assertThatThrownBy(() -> migration.migrate(twin, "sim-b", false, 0, p -> {}))
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> migration.targetsFor(twin)).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> migration.cancel(twin)).isInstanceOf(AccessDeniedException.class);
        assertThat(migration.mayMigrate()).isFalse();
    }

    private void assertRefused(DomainRef ref, String target, String message) {
        assertThat(refusal(ref, target, false, 0)).isEqualTo(message);
    }

    private String refusal(DomainRef ref, String target, boolean copyStorage, int bandwidth) {
        try {
            migration.migrate(ref, target, copyStorage, bandwidth, p -> {}).join();
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(VmActionException.class);
            return e.getCause().getMessage();
        }
        throw new AssertionError("moved although it should have been refused");
    }

    private List<AuditEntry> entries(String... actions) {
        var query = new AuditQuery(null, false, null, null, Set.of(actions), null, null, null);
        return audit.search(query, 0, 100);
    }

    private void awaitGone(DomainRef ref) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (hypervisor.domain(ref).isPresent()) {
            assertThat(System.nanoTime()).as("source no longer lists the VM").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private DomainSummary vm(String host, String name) {
        return hypervisor.domains().stream()
                .filter(d -> d.ref().host().equals(host) && d.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " on " + host + " in "
                        + hypervisor.hosts().stream().map(HostStatus::name).toList()));
    }

    private DomainRef ref(String host, String name) {
        if (name.equals("mover-or-not")) {
            return new DomainRef(host, java.util.UUID.randomUUID());
        }
        return vm(host, name).ref();
    }
}
