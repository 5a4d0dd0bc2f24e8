package org.kvmportal.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.Hypervisor;
import org.kvmportal.hypervisor.PowerState;
import org.kvmportal.testing.SignedIn;
import org.kvmportal.testing.SimulatedHost;
import org.kvmportal.testing.TestAccounts;
import org.kvmportal.testing.TestHostXml.RunState;
import org.kvmportal.testing.TestHostXml.Vm;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The VM service on a simulated host (libvirt's test driver) with VMs in several states. */
@SpringBootTest
class VmServiceTest {

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void simulatedHost(DynamicPropertyRegistry registry) {
        SimulatedHost.register(
                registry,
                dir,
                List.of(
                        new Vm("web-1", RunState.RUNNING, 2, 1_048_576),
                        new Vm("web-2", RunState.RUNNING, 1, 524_288),
                        new Vm("db-1", RunState.SHUT_OFF, 4, 4_194_304),
                        new Vm("db-2", RunState.PAUSED, 2, 2_097_152),
                        new Vm("lab-1", RunState.SHUT_OFF, 1, 262_144)));
    }

    @Autowired
    VmService vms;

    @Autowired
    Hypervisor hypervisor;

    @Autowired
    VmAssignments assignments;

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void hostIsConnected() throws InterruptedException {
        var accounts = new TestAccounts(jdbc);
        accounts.user("admin", "ADMIN");
        accounts.user("helpdesk", "HELPDESK");
        accounts.user("alice", "USER");
        SimulatedHost.awaitListed(hypervisor, 5);
    }

    @Test
    @WithMockUser(username = "admin", roles = "ADMIN")
    void lists_filters_and_sorts() {
        assertThat(names(VmQuery.ALL)).containsExactly("db-1", "db-2", "lab-1", "web-1", "web-2");
        assertThat(names(new VmQuery("WEB", null, null, VmQuery.Sort.NAME, false)))
                .containsExactly("web-2", "web-1");
        assertThat(names(new VmQuery("", PowerState.SHUT_OFF, null, VmQuery.Sort.NAME, true)))
                .containsExactly("db-1", "lab-1");
        assertThat(names(new VmQuery("", null, "elsewhere", VmQuery.Sort.NAME, true)))
                .isEmpty();
        assertThat(names(new VmQuery("", null, "sim", VmQuery.Sort.MEMORY, false))
                        .getFirst())
                .isEqualTo("db-1");
        assertThat(vms.count(new VmQuery("db", null, null, null, true))).isEqualTo(2);
        assertThat(vms.find(VmQuery.ALL, 1, 2)).extracting(DomainSummary::name).containsExactly("db-2", "lab-1");
    }

    @Test
    @WithMockUser(username = "alice", roles = "USER")
    void end_users_see_and_act_on_only_the_vms_assigned_to_them() {
        if (state("lab-1") != PowerState.SHUT_OFF) {
            hypervisor.forceOff(ref("lab-1")).join();
        }
        assertThat(vms.visibleVms()).isEmpty();
        SignedIn.as(
                "admin",
                "ADMIN",
                () -> assignments.assign(List.of(ref("lab-1")), new Grantee.User("alice"), VmAccessLevel.OPERATE));

        assertThat(vms.visibleVms()).extracting(DomainSummary::name).containsExactly("lab-1");
        assertThat(vms.hostNames()).containsExactly("sim");
        assertThatThrownBy(() -> vms.perform(VmAction.START, ref("db-1")).join())
                .hasCauseInstanceOf(VmActionException.class)
                .hasMessageContaining("That virtual machine no longer exists.");
        vms.perform(VmAction.START, ref("lab-1")).join();
        assertThat(state("lab-1")).isEqualTo(PowerState.RUNNING);
        assertThatThrownBy(
                        () -> vms.perform(VmAction.AUTOSTART_ON, ref("lab-1")).join())
                .hasMessageContaining("You may not change how lab-1 is configured.");
        vms.perform(VmAction.FORCE_OFF, ref("lab-1")).join();
        SignedIn.as("admin", "ADMIN", () -> assignments.revoke(List.of(ref("lab-1")), new Grantee.User("alice")));
        assertThat(vms.visibleVms()).isEmpty();
    }

    @Test
    @WithMockUser(username = "admin", roles = "ADMIN")
    void a_bulk_action_reports_each_vm_and_a_partial_failure_does_not_stop_the_rest() {
        var refs = List.of(ref("db-1"), ref("web-1"), ref("lab-1"));

        var outcome = vms.performAll(VmAction.START, refs).join();

        assertThat(outcome.successCount()).isEqualTo(2);
        assertThat(outcome.failures())
                .singleElement()
                .satisfies(failure -> assertThat(failure.name()).isEqualTo("web-1"))
                .satisfies(failure ->
                        assertThat(failure.error()).isEqualTo("web-1 is running: it cannot be started now."));
        assertThat(outcome.summary()).startsWith("Start: 2 of 3 succeeded. web-1: ");
        assertThat(state("db-1")).isEqualTo(PowerState.RUNNING);
        assertThat(state("lab-1")).isEqualTo(PowerState.RUNNING);

        vms.performAll(VmAction.FORCE_OFF, List.of(ref("db-1"), ref("lab-1"))).join();
        assertThat(state("db-1")).isEqualTo(PowerState.SHUT_OFF);
    }

    @Test
    @WithMockUser(username = "helpdesk", roles = "HELPDESK")
    void help_desk_cannot_change_configuration() {
        SignedIn.as(
                "admin",
                "ADMIN",
                () -> assignments.assign(List.of(ref("web-2")), new Grantee.User("alice"), VmAccessLevel.MANAGE));
        assertThatThrownBy(() -> vms.perform(VmAction.AUTOSTART_ON, ref("web-2"), "asked to")
                        .join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(VmActionException.class)
                .hasMessageContaining("You may not change how web-2 is configured.");
        SignedIn.as("admin", "ADMIN", () -> assignments.revoke(List.of(ref("web-2")), new Grantee.User("alice")));
    }

    @Test
    @WithMockUser(username = "admin", roles = "ADMIN")
    void pause_resume_save_restore_and_autostart_change_the_vm() {
        var web2 = ref("web-2");
        vms.perform(VmAction.PAUSE, web2).join();
        assertThat(state("web-2")).isEqualTo(PowerState.PAUSED);
        vms.perform(VmAction.RESUME, web2).join();
        vms.perform(VmAction.SAVE, web2).join();
        var saved = vms.find(web2).orElseThrow();
        assertThat(saved.state()).isEqualTo(PowerState.SHUT_OFF);
        assertThat(saved.managedSave()).isTrue();
        assertThat(VmAction.START.appliesTo(saved))
                .as("start is offered as restore")
                .isFalse();
        vms.perform(VmAction.RESTORE, web2).join();
        assertThat(state("web-2")).isEqualTo(PowerState.RUNNING);

        vms.perform(VmAction.AUTOSTART_ON, web2).join();
        assertThat(vms.find(web2).orElseThrow().autostart()).isTrue();
        vms.perform(VmAction.AUTOSTART_OFF, web2).join();
        assertThat(vms.find(web2).orElseThrow().autostart()).isFalse();
    }

    @Test
    @WithMockUser(username = "admin", roles = "ADMIN")
    void a_second_action_on_a_busy_vm_is_refused_as_operation_in_progress() {
        var db2 = ref("db-2");
        var first = vms.perform(VmAction.RESUME, db2);
        var second = vms.perform(VmAction.FORCE_OFF, db2);

        // The second call either found the first running or came after it ended: never a raw libvirt error.
        first.join();
        second.handle((ok, error) -> {
                    if (error != null) {
                        assertThat(VmService.messageOf(error)).startsWith("Operation in progress: db-2");
                    }
                    return null;
                })
                .join();
        vms.perform(VmAction.START, db2).exceptionally(error -> null).join();
    }

    private List<String> names(VmQuery query) {
        return vms.find(query, 0, 100).stream().map(DomainSummary::name).toList();
    }

    private org.kvmportal.hypervisor.DomainRef ref(String name) {
        return hypervisor.domains().stream()
                .filter(vm -> vm.name().equals(name))
                .findFirst()
                .orElseThrow()
                .ref();
    }

    private org.kvmportal.hypervisor.DomainRef anyRef() {
        return hypervisor.domains().getFirst().ref();
    }

    private PowerState state(String name) {
        return hypervisor.domains().stream()
                .filter(vm -> vm.name().equals(name))
                .findFirst()
                .orElseThrow()
                .state();
    }
}
