package org.kvmportal.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.kvmportal.e2e.DemoUser.ADMIN;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.options.AriaRole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;

/**
 * A guest that ignores "shut down": after {@code kvmportal.shutdown-grace} the UI offers to force it off. The
 * guest is a transient domain of the test's own (see {@link AcpiIgnoringGuest}), so the demo VMs stay free.
 */
@TestPropertySource(properties = "kvmportal.shutdown-grace=2s")
@ExtendWith(OutputCaptureExtension.class)
class ShutdownGraceIT extends BrowserTest {

    private AcpiIgnoringGuest guest;

    @BeforeEach
    void startAGuestWithoutAcpi() {
        guest = AcpiIgnoringGuest.start("e2e-no-acpi-" + ProcessHandle.current().pid());
    }

    @AfterEach
    void destroyIt() {
        guest.close();
    }

    @Test
    void after_the_grace_time_the_ui_offers_force_off_and_accepting_it_turns_the_vm_off() {
        signIn(page, ADMIN);
        var grid = new VmGrid(page);
        assertThat(grid.stateCell(guest.name())).hasAccessibleName("Running");
        grid.select(guest.name());

        menu("Shut down").click();
        assertThat(notifications().first()).containsText("Shut down: 1 of 1 succeeded.");

        var offer = notifications().filter(new Locator.FilterOptions().setHasText("still running"));
        assertThat(offer).containsText(guest.name() + " is still running 2 s after it was asked to shut down.");
        assertThat(grid.stateCell(guest.name())).hasAccessibleName("Running");
        offer.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Force off"))
                .click();
        assertThat(page.getByRole(AriaRole.DIALOG)).containsText("Force off " + guest.name() + "?");
        page.locator("#confirm-action").click();

        assertThat(notifications().last()).containsText("Force off: 1 of 1 succeeded.");
        // A transient domain that stops is gone: libvirt no longer knows it, and the list drops it.
        assertThat(guest.exists())
                .as("virsh domstate " + guest.name() + " still finds it")
                .isFalse();
        assertThat(grid.row(guest.name())).hasCount(0);
    }

    @Test
    void a_page_closed_while_the_grace_time_runs_leaves_no_error_behind(CapturedOutput output)
            throws InterruptedException {
        signIn(page, ADMIN);
        var grid = new VmGrid(page);
        assertThat(grid.stateCell(guest.name())).hasAccessibleName("Running");
        grid.select(guest.name());
        menu("Shut down").click();
        assertThat(notifications().first()).containsText("Shut down: 1 of 1 succeeded.");

        // Signing out closes the session and detaches its UIs while the runner still waits out the grace time.
        page.locator("#sign-out").click();
        page.waitForURL("**/login");
        Thread.sleep(4_000);

        assertThat(output.getAll()).doesNotContain("UIDetachedException");
        assertThat(guest.exists()).as("the guest ignored the shutdown").isTrue();
    }

    private Locator menu(String item) {
        return page.locator("#vm-actions").getByRole(AriaRole.MENUITEM, new Locator.GetByRoleOptions().setName(item));
    }

    private Locator notifications() {
        return page.locator("vaadin-notification-card");
    }
}
