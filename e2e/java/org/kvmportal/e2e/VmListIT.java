package org.kvmportal.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kvmportal.e2e.DemoUser.ADMIN;
import static org.kvmportal.e2e.DemoUser.ALICE;
import static org.kvmportal.e2e.DemoUser.EDUCATOR;
import static org.kvmportal.e2e.DemoUser.HELPDESK;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The VM list against this machine's libvirt (qemu:///system) and its demo VMs, made by
 * {@code scripts/demo-host.sh daemons define}.
 */
class VmListIT extends BrowserTest {

    private static final List<String> DEMO_VMS = List.of("demo-alpha", "demo-bravo", "demo-charlie");
    private static final String STARTED_BEHIND_THE_PORTALS_BACK = "demo-bravo";

    @AfterEach
    void leaveTheVmShutOff() {
        Virsh.destroyIfRunning(STARTED_BEHIND_THE_PORTALS_BACK);
    }

    @Test
    void an_admin_sees_every_demo_vm_on_the_local_host_with_its_current_state() {
        signIn(page, ADMIN);
        var grid = new VmGrid(page);

        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Virtual machines")))
                .isVisible();
        for (String vm : DEMO_VMS) {
            var expected = Virsh.domstate(vm);
            assertThat(grid.hostCell(vm)).hasAccessibleName("local");
            assertThat(grid.stateCell(vm)).hasAccessibleName(expected.label());
            assertThat(grid.stateBadge(vm)).hasAttribute("data-state", expected.dataState());
        }
    }

    @Test
    void help_desk_sees_the_vms_assigned_to_someone_and_not_the_unassigned_one() {
        signIn(page, HELPDESK);
        var grid = new VmGrid(page);

        assertThat(grid.stateCell("demo-alpha"))
                .hasAccessibleName(Virsh.domstate("demo-alpha").label());
        assertThat(grid.stateCell("demo-bravo"))
                .hasAccessibleName(Virsh.domstate("demo-bravo").label());
        assertThat(grid.link("demo-charlie")).hasCount(0);
    }

    @Test
    void a_user_sees_only_the_vms_assigned_to_her() {
        signIn(page, ALICE);
        var grid = new VmGrid(page);

        assertThat(grid.stateCell("demo-bravo"))
                .hasAccessibleName(Virsh.domstate("demo-bravo").label());
        assertThat(grid.link("demo-alpha")).hasCount(0);
        assertThat(grid.link("demo-charlie")).hasCount(0);
    }

    @Test
    void a_user_with_no_vms_sees_an_empty_list() {
        signIn(page, EDUCATOR);
        var grid = new VmGrid(page);

        assertThat(grid.cells()).hasAccessibleName("No virtual machines to show.");
        assertThat(grid.cells()).hasCount(1);
    }

    @Test
    void a_vm_started_and_stopped_outside_the_portal_changes_state_in_the_open_list_without_a_reload() {
        String vm = STARTED_BEHIND_THE_PORTALS_BACK;
        Virsh.destroyIfRunning(vm);
        signIn(page, ADMIN);
        var grid = new VmGrid(page);
        assertThat(grid.stateCell(vm)).hasAccessibleName("Shut off");
        // A reload would start a new page and drop this marker.
        page.evaluate("() => window.e2eSamePage = true");

        Virsh.start(vm);
        assertThat(grid.stateCell(vm)).hasAccessibleName("Running");
        assertThat(grid.stateBadge(vm)).hasAttribute("data-state", "RUNNING");

        Virsh.destroy(vm);
        assertThat(grid.stateCell(vm)).hasAccessibleName("Shut off");
        assertThat(grid.stateBadge(vm)).hasAttribute("data-state", "SHUT_OFF");

        assertEquals(true, page.evaluate("() => window.e2eSamePage === true"), "the page was reloaded");
    }

    @Test
    void the_state_filter_narrows_the_list_and_is_kept_in_the_url() {
        String vm = STARTED_BEHIND_THE_PORTALS_BACK;
        Virsh.destroyIfRunning(vm);
        signIn(page, ADMIN);
        var grid = new VmGrid(page);
        assertThat(grid.stateCell(vm)).hasAccessibleName("Shut off");

        page.locator("#vm-state-filter").click();
        page.getByRole(
                        AriaRole.OPTION,
                        new Page.GetByRoleOptions().setName("Running").setExact(true))
                .click();

        assertThat(page).hasURL(Pattern.compile("[?&]state=RUNNING"));
        assertThat(grid.row(vm)).hasCount(0);

        page.navigate("/?state=SHUT_OFF");
        assertThat(page.locator("#vm-state-filter")).containsText("Shut off");
        assertThat(grid.stateCell(vm)).hasAccessibleName("Shut off");
    }

    @Test
    void a_vm_started_while_the_portal_watches_shows_its_uptime_in_the_list_and_on_its_page() {
        String vm = STARTED_BEHIND_THE_PORTALS_BACK;
        Virsh.destroyIfRunning(vm);
        signIn(page, ADMIN);
        var grid = new VmGrid(page);
        assertThat(grid.stateCell(vm)).hasAccessibleName("Shut off");

        Virsh.start(vm);
        assertThat(grid.stateCell(vm)).hasAccessibleName("Running");
        assertThat(grid.uptimeCell(vm)).hasAccessibleName("< 1 min");

        grid.link(vm).click();
        assertThat(page.locator("#overview")).containsText("Uptime");
        assertThat(page.locator("#overview")).containsText("< 1 min");
    }
}
