package org.kvmportal.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.kvmportal.e2e.DemoUser.ADMIN;

import com.microsoft.playwright.assertions.LocatorAssertions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kvmportal.testing.Virsh;

/** libvirtd dies while people watch the list, then comes back. */
class HostOutageIT extends BrowserTest {

    @AfterEach
    void daemonsRunning() {
        Virsh.run(List.of("bash", "scripts/demo-host.sh", "daemons"));
    }

    @Test
    void a_dead_daemon_shows_a_banner_and_unknown_states_and_both_clear_when_it_returns() {
        signIn(page, ADMIN);
        var grid = new VmGrid(page);
        assertThat(grid.stateCell("demo-charlie")).hasAccessibleName("Shut off");
        var banner = page.locator("#host-problems");
        assertThat(banner).isHidden();

        Virsh.run(List.of("pkill", "-x", "libvirtd"));

        var within15s = new LocatorAssertions.ContainsTextOptions().setTimeout(15_000);
        assertThat(banner).containsText("Host local is unreachable", within15s);
        assertThat(grid.stateCell("demo-charlie"))
                .hasAccessibleName("Unknown", new LocatorAssertions.HasAccessibleNameOptions().setTimeout(15_000));

        Virsh.run(List.of("bash", "scripts/demo-host.sh", "daemons"));

        assertThat(banner).isHidden(new LocatorAssertions.IsHiddenOptions().setTimeout(30_000));
        assertThat(grid.stateCell("demo-charlie"))
                .hasAccessibleName("Shut off", new LocatorAssertions.HasAccessibleNameOptions().setTimeout(30_000));
    }
}
