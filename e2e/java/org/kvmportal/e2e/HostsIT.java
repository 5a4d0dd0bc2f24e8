package org.kvmportal.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.kvmportal.e2e.DemoUser.ADMIN;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Admins manage hypervisor connections on the hosts page. */
class HostsIT extends BrowserTest {

    @Test
    void the_default_local_host_is_listed_as_connected_with_its_facts() {
        signIn(page, ADMIN);
        page.navigate("/hosts");

        assertThat(row("local"))
                .hasAccessibleName(Pattern.compile("^local qemu:///system connected .*QEMU \\d+\\.\\d+.*libvirt"));
    }

    @Test
    void a_bad_or_unreachable_host_is_explained_and_not_saved_and_a_good_one_is_added_and_removed() {
        signIn(page, ADMIN);
        page.navigate("/hosts");
        page.locator("#add-host").click();
        page.locator("#host-name input").fill("sim");

        page.locator("#host-uri input").fill("http://lab-1/system");
        page.locator("#host-save").click();
        assertThat(page.locator("#host-uri")).containsText("Use a QEMU/KVM URI");

        page.locator("#host-uri input").fill("qemu+tcp://127.0.0.1:1/system");
        page.locator("#host-save").click();
        assertThat(page.locator("#host-result")).containsText("Could not connect to qemu+tcp://127.0.0.1:1/system");
        assertThat(button("Save anyway")).isVisible();

        page.locator("#host-uri input").fill("test:///default");
        page.locator("#host-save").click();
        assertThat(row("sim")).hasAccessibleName(Pattern.compile("^sim test:///default \\(simulated\\) connected "));

        String actionsSlot =
                row("sim").getByRole(AriaRole.GRIDCELL).last().locator("slot").getAttribute("name");
        page.locator("vaadin-grid-cell-content[slot='" + actionsSlot + "'] vaadin-button:has-text('Remove')")
                .click();
        page.getByRole(AriaRole.DIALOG)
                .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Remove"))
                .click();
        assertThat(row("sim")).hasCount(0);
    }

    /**
     * The grid row of a host, found through the accessibility tree (cell contents are slotted). The name goes
     * into a browser RegExp unquoted: Java's Pattern.quote syntax means nothing there, and host names here
     * hold no special characters.
     */
    private Locator row(String name) {
        return page.locator("#host-grid")
                .getByRole(AriaRole.ROW, new Locator.GetByRoleOptions().setName(Pattern.compile("^" + name + "\\s")));
    }

    private Locator button(String name) {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name));
    }
}
