package org.kvmportal.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kvmportal.e2e.DemoUser.ADMIN;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bulk actions from the VM list on the real demo VMs, checked with virsh. */
class VmActionsIT extends BrowserTest {

    private static final List<String> PAIR = List.of("demo-alpha", "demo-bravo");

    @BeforeEach
    @AfterEach
    void bothShutOff() {
        PAIR.forEach(Virsh::destroyIfRunning);
    }

    @Test
    void an_admin_starts_two_vms_at_once_and_forces_them_off_after_confirming() {
        signIn(page, ADMIN);
        var grid = new VmGrid(page);
        PAIR.forEach(vm -> grid.select(vm));

        menu("Start").click();

        assertThat(notification()).containsText("Start: 2 of 2 succeeded.");
        for (String vm : PAIR) {
            assertThat(grid.stateCell(vm)).hasAccessibleName("Running");
            assertEquals("RUNNING", Virsh.domstate(vm).dataState());
        }

        menu("Force off").click();
        var dialog = page.getByRole(AriaRole.DIALOG);
        assertThat(dialog).containsText("Force off 2 virtual machines?");
        page.locator("#confirm-action").click();

        assertThat(notification().last()).containsText("Force off: 2 of 2 succeeded.");
        for (String vm : PAIR) {
            assertThat(grid.stateCell(vm)).hasAccessibleName("Shut off");
            assertEquals("SHUT_OFF", Virsh.domstate(vm).dataState());
        }
    }

    @Test
    void a_partial_failure_says_which_vm_failed_and_why() {
        Virsh.start("demo-alpha");
        signIn(page, ADMIN);
        var grid = new VmGrid(page);
        PAIR.forEach(vm -> grid.select(vm));

        menu("Start").click();

        assertThat(notification())
                .containsText("Start: 1 of 2 succeeded. demo-alpha: demo-alpha is running: it cannot be started now.");
        assertThat(grid.stateCell("demo-bravo")).hasAccessibleName("Running");
    }

    @Test
    void only_actions_valid_for_the_selection_are_offered() {
        signIn(page, ADMIN);
        var grid = new VmGrid(page);
        grid.select("demo-bravo");

        assertThat(page.locator("#vm-actions")).containsText("Start");
        assertThat(menu("Start")).isEnabled();
        assertThat(menu("Force off")).isDisabled();
        assertThat(menu("Shut down")).isDisabled();
    }

    @Test
    void cancelling_the_confirmation_changes_nothing() {
        Virsh.start("demo-alpha");
        signIn(page, ADMIN);
        var grid = new VmGrid(page);
        grid.select("demo-alpha");

        menu("Force off").click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Cancel"))
                .click();

        assertThat(page.getByRole(AriaRole.DIALOG)).hasCount(0);
        assertEquals("RUNNING", Virsh.domstate("demo-alpha").dataState());
    }

    private com.microsoft.playwright.Locator menu(String item) {
        return page.locator("#vm-actions")
                .getByRole(AriaRole.MENUITEM, new com.microsoft.playwright.Locator.GetByRoleOptions().setName(item));
    }

    private com.microsoft.playwright.Locator notification() {
        return page.locator("vaadin-notification-card");
    }
}
