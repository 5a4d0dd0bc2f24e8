package org.kvmportal.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.kvmportal.e2e.DemoUser.ADMIN;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kvmportal.testing.TestHostXml;
import org.kvmportal.testing.TestHostXml.RunState;
import org.kvmportal.testing.TestHostXml.Vm;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A host that hangs (its libvirtd frozen with SIGSTOP: connected, but answering nothing) must not freeze
 * the UI nor hide the other hosts' VMs; calls to it time out with a message, and a banner names it.
 */
class HungHostIT extends BrowserTest {

    @DynamicPropertySource
    static void twoHosts(DynamicPropertyRegistry registry) {
        var file = Path.of(
                System.getProperty("java.io.tmpdir"),
                "kvmportal-hung-" + ProcessHandle.current().pid() + ".xml");
        String uri = TestHostXml.write(file, List.of(new Vm("sim-vm", RunState.RUNNING, 1, 262_144)));
        registry.add("kvmportal.hosts[0].name", () -> "local");
        registry.add("kvmportal.hosts[0].uri", () -> org.kvmportal.testing.Virsh.SYSTEM);
        registry.add("kvmportal.hosts[1].name", () -> "sim");
        registry.add("kvmportal.hosts[1].uri", () -> uri);
    }

    @AfterEach
    void wakeTheDaemon() {
        signalLibvirtd("CONT");
    }

    @Test
    void a_frozen_daemon_slows_nothing_else_and_is_reported() {
        signIn(page, ADMIN);
        var grid = new VmGrid(page);
        assertThat(grid.stateCell("sim-vm")).hasAccessibleName("Running");

        signalLibvirtd("STOP");

        // Lists answer from memory: both hosts' VMs show at once, the frozen host's with their last state.
        long started = System.nanoTime();
        page.navigate("/");
        assertThat(grid.stateCell("sim-vm")).hasAccessibleName("Running");
        assertThat(grid.row("demo-charlie")).isVisible();
        org.junit.jupiter.api.Assertions.assertTrue(
                System.nanoTime() - started < 5_000_000_000L, "the list came within 5 s despite the frozen host");

        // A call to the frozen host times out with a message instead of hanging the page.
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("demo-charlie"))
                .click();
        assertThat(page.locator("#overview"))
                .containsText(
                        "did not answer within 5 s", new LocatorAssertions.ContainsTextOptions().setTimeout(15_000));

        // libvirt's keepalive gives up on the silent host after about 15 s; the banner then names it.
        page.navigate("/");
        assertThat(page.locator("#host-problems"))
                .containsText("Host local", new LocatorAssertions.ContainsTextOptions().setTimeout(40_000));
        assertThat(grid.stateCell("sim-vm")).hasAccessibleName("Running");

        signalLibvirtd("CONT");
        assertThat(page.locator("#host-problems")).isHidden(new LocatorAssertions.IsHiddenOptions().setTimeout(60_000));
    }

    private static void signalLibvirtd(String signal) {
        try {
            org.kvmportal.testing.Virsh.run(List.of("pkill", "-" + signal, "-x", "libvirtd"));
        } catch (AssertionError e) {
            // CONT on a running daemon, or a daemon already gone: nothing to do
        }
    }
}
