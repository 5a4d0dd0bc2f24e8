package org.kvmportal.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kvmportal.console.ConsoleSessions;
import org.springframework.beans.factory.annotation.Autowired;

/** The screen console against a real demo guest: what the canvas shows and what the keyboard reaches. */
class ConsoleIT extends BrowserTest {

    @Autowired
    ConsoleSessions sessions;

    private static final String VM = "demo-alpha";

    @BeforeAll
    void guestRunning() {
        Virsh.destroyIfRunning(VM);
        Virsh.start(VM);
        GuestConsole.awaitSerial(VM, GuestConsole.SHELL_READY, Duration.ofSeconds(90));
    }

    @AfterAll
    void guestOff() {
        Virsh.destroyIfRunning(VM);
    }

    @Test
    void the_console_shows_the_guest_screen_and_typed_commands_run_in_the_guest() {
        signIn(page, DemoUser.ADMIN);
        openConsoleFromDetails(page);
        awaitLitScreen(page);

        page.locator("kp-screen-console canvas").click();
        String nonce = Long.toString(System.nanoTime() % 1_000_000);
        GuestConsole.typeLine(page, "echo kp-$((6*7))-" + nonce + " >/dev/ttyS0");

        // Only the guest's shell computes 42: the typed text itself never reaches the serial port.
        GuestConsole.awaitSerial(VM, "kp-42-" + nonce, Duration.ofSeconds(20));
    }

    @Test
    void ctrl_alt_del_from_the_toolbar_reaches_the_guest_and_the_console_stays_usable() {
        signIn(page, DemoUser.ADMIN);
        openConsoleFromDetails(page);
        awaitLitScreen(page);
        int restartsBefore = GuestConsole.countInSerial(VM, "reboot: Restarting system");
        int shellsBefore = GuestConsole.countInSerial(VM, GuestConsole.SHELL_READY);

        page.locator("#send-keys").getByText("Send keys").click();
        page.getByRole(
                        com.microsoft.playwright.options.AriaRole.MENUITEM,
                        new Page.GetByRoleOptions().setName("Ctrl+Alt+Del"))
                .click();

        // The demo guest's init answers Ctrl+Alt+Del with a reboot, which its kernel announces on ttyS0.
        GuestConsole.awaitSerial(VM, "reboot: Restarting system", Duration.ofSeconds(30), restartsBefore + 1);
        GuestConsole.awaitSerial(VM, GuestConsole.SHELL_READY, Duration.ofSeconds(90), shellsBefore + 1);
        assertConnected(page);
        page.locator("kp-screen-console canvas").click();
        String nonce = Long.toString(System.nanoTime() % 1_000_000);
        GuestConsole.typeLine(page, "echo kp-$((7*6))-" + nonce + " >/dev/ttyS0");
        GuestConsole.awaitSerial(VM, "kp-42-" + nonce, Duration.ofSeconds(20));
    }

    @Test
    void the_console_reconnects_by_itself_when_the_vm_is_stopped_and_started_again() {
        signIn(page, DemoUser.ADMIN);
        openConsoleFromDetails(page);
        awaitLitScreen(page);

        Virsh.destroy(VM);
        assertThat(page.locator("#console-status")).not().hasAttribute("data-state", "connected");
        Virsh.start(VM);

        assertConnected(page);
        awaitLitScreen(page);
        GuestConsole.awaitSerial(VM, GuestConsole.SHELL_READY, Duration.ofSeconds(90));
    }

    @Test
    void the_console_tab_of_a_vms_page_shows_its_screen_and_hangs_up_when_another_tab_is_chosen() {
        signIn(page, DemoUser.ADMIN);
        GuestConsole.awaitSerial(VM, GuestConsole.SHELL_READY, Duration.ofSeconds(90));
        String uuid = org.kvmportal.testing.Virsh.virsh("domuuid", VM).strip();
        page.navigate("/vms/local/" + UUID.fromString(uuid));

        page.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("Console"))
                .click();
        awaitLitScreen(page, "#embedded-console-status");
        page.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("Overview"))
                .click();

        assertThat(page.locator("kp-screen-console")).hasCount(0);
        await().atMost(Duration.ofSeconds(5)).until(() -> sessions.countOf(DemoUser.ADMIN.username()) == 0);
    }

    @Test
    void the_serial_console_runs_a_command_typed_in_its_terminal() {
        signIn(page, DemoUser.ADMIN);
        openConsoleFromDetails(page);
        assertConnected(page);

        page.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("Serial console"))
                .click();
        assertConnected(page);
        var terminal = page.locator("kp-serial-console .xterm");
        terminal.click();
        String nonce = Long.toString(System.nanoTime() % 1_000_000);
        page.keyboard().type("echo kp-$((5*8))-" + nonce);
        page.keyboard().press("Enter");

        // The terminal shows the shell's answer, and the guest's serial port carried it: not an echo.
        assertThat(page.locator("kp-serial-console .xterm-rows")).containsText("kp-40-" + nonce);
        GuestConsole.awaitSerial(VM, "kp-40-" + nonce, Duration.ofSeconds(10));
        assertThat(page.locator("#screen-console")).isHidden();
    }

    @Test
    void help_desk_joins_view_only_without_disconnecting_the_user_who_sees_them_watching() {
        signIn(page, DemoUser.ADMIN);
        openConsoleFromDetails(page);
        awaitLitScreen(page);
        var helpDesk = newSession();
        signIn(helpDesk, DemoUser.HELPDESK);

        openConsoleFromDetails(helpDesk);
        awaitLitScreen(helpDesk);

        assertThat(helpDesk.locator("#view-only input")).isChecked();
        assertThat(page.locator("#console-viewers")).hasText("Also watching: helpdesk (view only)");
        assertConnected(page);
        // The watcher's keys are dropped by the relay; the user's still reach the guest.
        helpDesk.locator("kp-screen-console canvas").click();
        GuestConsole.typeLine(helpDesk, "echo kp-watcher-$((2*3)) >/dev/ttyS0");
        page.locator("kp-screen-console canvas").click();
        String nonce = Long.toString(System.nanoTime() % 1_000_000);
        GuestConsole.typeLine(page, "echo kp-$((6*7))-" + nonce + " >/dev/ttyS0");
        GuestConsole.awaitSerial(VM, "kp-42-" + nonce, Duration.ofSeconds(20));
        assertThat(GuestConsole.serialLog(VM)).doesNotContain("kp-watcher-6");

        helpDesk.close();
        assertThat(page.locator("#console-viewers")).hasText("");
    }

    @Test
    void an_end_user_cannot_reach_a_console_that_is_not_theirs_by_typing_its_address() {
        signIn(page, DemoUser.ALICE);
        String uuid = org.kvmportal.testing.Virsh.virsh("domuuid", VM).strip();

        page.navigate("/vms/local/" + uuid + "/console");

        assertThat(page.locator("kp-screen-console")).hasCount(0);
        assertThat(page.getByText("No such virtual machine")).isVisible();
    }

    @Test
    void markup_in_text_from_the_console_is_shown_as_text() {
        signIn(page, DemoUser.ADMIN);
        openConsoleFromDetails(page);
        assertConnected(page);
        assertThat(page.locator("#console-status img")).hasCount(0);
        assertThat(page.locator("kp-screen-console .kp-overlay img")).hasCount(0);
    }

    private static void openConsoleFromDetails(Page page) {
        GuestConsole.awaitSerial(VM, GuestConsole.SHELL_READY, Duration.ofSeconds(90));
        String uuid = org.kvmportal.testing.Virsh.virsh("domuuid", VM).strip();
        page.navigate("/vms/local/" + UUID.fromString(uuid));
        page.locator("#open-console").click();
        assertThat(page).hasURL(java.util.regex.Pattern.compile(".*/vms/local/" + uuid + "/console$"));
    }

    private static void assertConnected(Page page) {
        assertConnected(page, "#console-status");
    }

    private static void assertConnected(Page page, String status) {
        assertThat(page.locator(status))
                .hasAttribute(
                        "data-state",
                        "connected",
                        new com.microsoft.playwright.assertions.LocatorAssertions.HasAttributeOptions()
                                .setTimeout(60_000));
    }

    /** Waits until the canvas shows more than one colour: the guest's text on its background. */
    private static void awaitLitScreen(Page page) {
        awaitLitScreen(page, "#console-status");
    }

    private static void awaitLitScreen(Page page, String status) {
        assertConnected(page, status);
        page.waitForFunction(
                """
                () => {
                  const canvas = document.querySelector('kp-screen-console canvas');
                  if (!canvas || canvas.width < 100) return false;
                  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                  const first = data[0] + ',' + data[1] + ',' + data[2];
                  for (let i = 0; i < data.length; i += 64) {
                    if (data[i] + ',' + data[i + 1] + ',' + data[i + 2] !== first) return true;
                  }
                  return false;
                }""", null, new Page.WaitForFunctionOptions().setTimeout(30_000).setPollingInterval(100));
        assertThat(page.locator("kp-screen-console canvas")).isVisible();
    }
}
