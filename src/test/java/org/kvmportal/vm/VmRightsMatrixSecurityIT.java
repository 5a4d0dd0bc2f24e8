package org.kvmportal.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kvmportal.testing.SignedIn.as;
import static org.kvmportal.testing.SignedIn.refusal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.kvmportal.console.ConsoleKind;
import org.kvmportal.console.ConsoleService;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.Hypervisor;
import org.kvmportal.hypervisor.PowerState;
import org.kvmportal.hypervisor.SnapshotKind;
import org.kvmportal.provisioning.CloneRequest;
import org.kvmportal.provisioning.ProvisioningService;
import org.kvmportal.testing.SignedIn;
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
 * Who may do what to which VM, through the service layer, as a table. Each row is a person (a role, and the
 * level their own VM is assigned to them at, or an account disabled or holding a temporary password); each of
 * its three lines is one VM: their own, another user's (assigned to bob at MANAGE) and an unassigned one. "Y"
 * means the service lets the act through (it may still fail for the VM's state or the input, which every act
 * here is chosen to make harmless: the VMs run, so none is deleted or cloned); "-" means it refuses it for lack
 * of a right. Refused or not is decided by the type of what the service threw ({@link SignedIn.Outcome}), never
 * by its message. Any difference fails the test and names the cell: zero unexpected allows, and zero unexpected
 * refusals. The console columns are checked again at the WebSocket handshake by {@code ConsoleRelayIT}.
 */
@SpringBootTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VmRightsMatrixSecurityIT {

    enum Act {
        LIST,
        DETAILS,
        WATCH_CONSOLE,
        USE_CONSOLE,
        START,
        SHUTDOWN,
        REBOOT,
        RESET,
        FORCE_OFF,
        REVERT,
        EDIT,
        ASSIGN,
        SNAPSHOT,
        SNAPSHOT_REVERT,
        SNAPSHOT_DELETE,
        HARDWARE,
        DESCRIPTION,
        DELETE,
        CLONE,
        MIGRATE,
        MARK_CLEAN,
        XML
    }

    /** A person: account name, role, and the level of their grant on "own-vm" (null: none). */
    record Person(
            String username,
            String role,
            VmAccessLevel ownLevel,
            boolean viaGroup,
            boolean disabled,
            boolean temporaryPassword) {}

    private static final String OWN = "own-vm";
    private static final String OTHERS = "bobs-vm";
    private static final String UNASSIGNED = "free-vm";

    // LIST DETAILS WATCH USE START SHUTDOWN REBOOT RESET FORCE_OFF REVERT EDIT ASSIGN |
    // SNAPSHOT SNAPSHOT_REVERT SNAPSHOT_DELETE HARDWARE DESCRIPTION DELETE CLONE MIGRATE MARK_CLEAN XML
    private static final Map<Person, String[]> MATRIX = new java.util.LinkedHashMap<>();

    private static final String NONE = "- - - - - - - - - - - - - - - - - - - - - -";

    static {
        row(
                person("m-admin", "ADMIN", VmAccessLevel.VIEW),
                "Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y", // own
                "Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y", // bob's
                "Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y"); // unassigned
        row(
                person("m-helpdesk", "HELPDESK", VmAccessLevel.VIEW),
                "Y Y Y Y Y Y Y Y Y Y - - - - - - - - - - - -",
                "Y Y Y Y Y Y Y Y Y Y - - - - - - - - - - - -",
                NONE);
        row(
                person("m-educator", "EDUCATOR", VmAccessLevel.OPERATE),
                "Y Y Y Y Y Y Y Y Y Y - - - - - - - - - - - -",
                NONE,
                NONE);
        row(person("m-stranger", "USER", null), NONE, NONE, NONE);
        row(person("m-view", "USER", VmAccessLevel.VIEW), "Y Y Y - - - - - - - - - - - - - - - - - - -", NONE, NONE);
        row(
                person("m-console", "USER", VmAccessLevel.CONSOLE),
                "Y Y Y Y - - - - - - - - - - - - - - - - - -",
                NONE,
                NONE);
        row(
                person("m-operate", "USER", VmAccessLevel.OPERATE),
                "Y Y Y Y Y Y Y Y Y Y - - - - - - - - - - - -",
                NONE,
                NONE);
        row(
                person("m-manage", "USER", VmAccessLevel.MANAGE),
                "Y Y Y Y Y Y Y Y Y Y Y - Y Y Y Y Y Y Y - - -",
                NONE,
                NONE);
        row(
                new Person("m-grouped", "USER", VmAccessLevel.OPERATE, true, false, false),
                "Y Y Y Y Y Y Y Y Y Y - - - - - - - - - - - -",
                NONE,
                NONE);
        row(new Person("m-temporary", "USER", VmAccessLevel.MANAGE, false, false, true), NONE, NONE, NONE);
        row(new Person("m-disabled", "USER", VmAccessLevel.MANAGE, false, true, false), NONE, NONE, NONE);
    }

    /** Not {@code @TempDir}: with one test instance per class, Spring starts before JUnit would set it. */
    private static final Path dir = newDir();

    private static Path newDir() {
        try {
            return Files.createTempDirectory("authz-matrix");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void simulatedHost(DynamicPropertyRegistry registry) {
        SimulatedHost.register(
                registry,
                dir,
                List.of(
                        new Vm(OWN, RunState.RUNNING, 1, 262_144),
                        new Vm(OTHERS, RunState.RUNNING, 1, 262_144),
                        new Vm(UNASSIGNED, RunState.RUNNING, 1, 262_144)));
    }

    @Autowired
    VmService vms;

    @Autowired
    VmAssignments assignments;

    @Autowired
    ConsoleService consoles;

    @Autowired
    VmSnapshots snapshots;

    @Autowired
    VmEditing editing;

    @Autowired
    VmRemoval removal;

    @Autowired
    VmMigration migration;

    @Autowired
    ProvisioningService provisioning;

    @Autowired
    Hypervisor hypervisor;

    @Autowired
    JdbcClient jdbc;

    @BeforeAll
    void peopleAndGrants() throws InterruptedException {
        SimulatedHost.awaitListed(hypervisor, 3);
        var accounts = new TestAccounts(jdbc);
        accounts.user("m-root", "ADMIN");
        accounts.user("bob", "USER");
        accounts.user("probe", "USER");
        as("m-root", "ADMIN", () -> {
            assignments.assign(List.of(ref(OTHERS)), new Grantee.User("bob"), VmAccessLevel.MANAGE);
            return null;
        });
        for (var person : MATRIX.keySet()) {
            accounts.user(person.username(), person.role());
            if (person.ownLevel() == null) {
                continue;
            }
            Grantee grantee = new Grantee.User(person.username());
            if (person.viaGroup()) {
                accounts.group("g-" + person.username(), person.username());
                grantee = new Grantee.Group("g-" + person.username());
            }
            var to = grantee;
            as("m-root", "ADMIN", () -> {
                assignments.assign(List.of(ref(OWN)), to, person.ownLevel());
                return null;
            });
            if (person.disabled()) {
                accounts.setEnabled(person.username(), false);
            }
            if (person.temporaryPassword()) {
                accounts.requirePasswordChange(person.username());
            }
        }
    }

    @Test
    void every_role_and_level_gets_exactly_the_rights_in_the_table() {
        var differences = new ArrayList<String>();
        MATRIX.forEach((person, lines) -> {
            String[] vmNames = {OWN, OTHERS, UNASSIGNED};
            for (int line = 0; line < 3; line++) {
                String[] expected = lines[line].split(" ");
                for (var act : Act.values()) {
                    everythingRunning();
                    var vm = ref(vmNames[line]);
                    boolean allowed = as(person.username(), person.role(), () -> attempt(act, vm));
                    boolean expectAllowed = expected[act.ordinal()].equals("Y");
                    if (allowed != expectAllowed) {
                        differences.add(person.username() + " / " + vmNames[line] + " / " + act + ": expected "
                                + (expectAllowed ? "allowed" : "refused") + ", was "
                                + (allowed ? "allowed" : "refused"));
                    }
                }
            }
        });
        assertThat(differences).isEmpty();
    }

    @Test
    void help_desk_must_give_a_reason_when_acting_on_a_users_vm() {
        everythingRunning();
        assertThat(refusal(() -> as(
                        "m-helpdesk",
                        "HELPDESK",
                        () -> vms.perform(VmAction.REBOOT, ref(OTHERS), " ").join())))
                .isEqualTo("Give a reason for acting on bobs-vm: it goes into the audit log.");
        as(
                "m-helpdesk",
                "HELPDESK",
                () -> vms.perform(VmAction.REBOOT, ref(OTHERS), "ticket 4711: frozen")
                        .join());
    }

    /** Whether the service let the act through: anything but a refusal for lack of a right counts. */
    private boolean attempt(Act act, DomainRef vm) {
        return SignedIn.outcome(() -> act(act, vm)) == SignedIn.Outcome.PASSED;
    }

    /**
     * One act; where the act would change something lasting, its input is chosen so that the service, having
     * checked the right, refuses it for another reason (a snapshot that does not exist, a running VM to delete,
     * a blank host to migrate to) or changes something harmless (autostart, the description).
     */
    private Object act(Act act, DomainRef vm) {
        return switch (act) {
            case LIST ->
                vms.visibleVms().stream().anyMatch(summary -> summary.ref().equals(vm)) ? "listed" : refused();
            case DETAILS -> vms.find(vm).isPresent() ? vms.details(vm) : refused();
            case WATCH_CONSOLE, USE_CONSOLE ->
                consoles.openTicket(vm, ConsoleKind.SCREEN, act == Act.USE_CONSOLE, "matrix-session");
            case ASSIGN -> {
                assignments.assign(List.of(vm), new Grantee.User("probe"), VmAccessLevel.VIEW);
                assignments.revoke(List.of(vm), new Grantee.User("probe"));
                yield "assigned";
            }
            case SNAPSHOT -> snapshots.create(vm, "not a valid name!", "", SnapshotKind.DISK_ONLY);
            case SNAPSHOT_REVERT -> snapshots.revert(vm, "m-no-such-snapshot", false);
            case SNAPSHOT_DELETE -> snapshots.delete(vm, "m-no-such-snapshot");
            case HARDWARE -> editing.setProcessorsAndMemory(vm, null, null, null, null);
            case DESCRIPTION -> editing.setDescription(vm, "checked by the rights matrix");
            case DELETE -> removal.delete(vm, true);
            case CLONE -> provisioning.previewClone(new CloneRequest(null, vm, "m-clone", "", true));
            case MIGRATE -> migration.migrate(vm, "", false, 0, progress -> {});
            case MARK_CLEAN -> vms.markClean(vm, "m-no-such-snapshot");
            case XML -> editing.defineXml(vm, "<domain");
            default -> vms.perform(action(act, vm), vm, "authorization matrix");
        };
    }

    /** The same refusal a service gives for a VM the caller may not see. */
    private static Object refused() {
        throw new VmAccessRefusedException("not listed");
    }

    private VmAction action(Act act, DomainRef vm) {
        return switch (act) {
            case EDIT ->
                hypervisor.domain(vm).orElseThrow().autostart() ? VmAction.AUTOSTART_OFF : VmAction.AUTOSTART_ON;
            default -> VmAction.valueOf(act.name());
        };
    }

    private void everythingRunning() {
        for (String name : List.of(OWN, OTHERS, UNASSIGNED)) {
            var vm = hypervisor.domain(ref(name)).orElseThrow();
            if (vm.state() == PowerState.PAUSED) {
                hypervisor.resume(vm.ref()).join();
            } else if (vm.state() != PowerState.RUNNING) {
                hypervisor.start(vm.ref()).join();
            }
        }
    }

    private DomainRef ref(String name) {
        return hypervisor.domains().stream()
                .filter(vm -> vm.name().equals(name))
                .findFirst()
                .orElseThrow()
                .ref();
    }

    private static Person person(String username, String role, VmAccessLevel level) {
        return new Person(username, role, level, false, false, false);
    }

    private static void row(Person person, String own, String others, String unassigned) {
        for (String line : List.of(own, others, unassigned)) {
            assertThat(line.split(" ")).as(person + ": one cell per act").hasSize(Act.values().length);
        }
        MATRIX.put(person, new String[] {own, others, unassigned});
        assertThat(Arrays.stream(Act.values()).count()).isEqualTo(22);
    }
}
