package org.kvmportal.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.kvmportal.e2e.DemoUser.ADMIN;
import static org.kvmportal.testing.Virsh.virsh;

import com.microsoft.playwright.Locator;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * Bad input in an admin's network and volume dialogs is shown at the field the service blamed, the other
 * fields stay as they were, and nothing is defined on the host (as virsh sees it).
 */
class AdminDialogRefusalsIT extends BrowserTest {

    private static final String DEMO_POOL = "kvm-portal";

    @Test
    void a_network_in_a_public_range_is_refused_at_its_address() {
        String name = "kp-e2e-public-" + Long.toHexString(System.nanoTime() & 0xffffL);
        signIn(page, ADMIN);
        page.navigate("/networks");
        page.locator("#new-network").click();
        page.locator("#network-name input").fill(name);
        page.locator("#network-address input").fill("8.8.8.1/24");
        page.locator("#network-define").click();

        assertThat(page.locator("#network-address")).hasAttribute("invalid", "");
        assertThat(page.locator("#network-address")).containsText("Use a private range");
        assertThat(page.locator("#network-name")).not().hasAttribute("invalid", "");
        Assertions.assertThat(virsh("net-list", "--all", "--name")).doesNotContain(name);
    }

    @Test
    void a_qcow2_volume_named_like_a_raw_one_is_refused_at_its_name() {
        String name = "kp-e2e-" + Long.toHexString(System.nanoTime() & 0xffffL) + ".img";
        signIn(page, ADMIN);
        page.navigate("/storage");
        page.locator("#pool-grid")
                .getByText(DEMO_POOL, new Locator.GetByTextOptions().setExact(true))
                .click();
        page.locator("#new-volume").click();
        page.locator("#volume-name input").fill(name); // the format stays qcow2
        page.locator("#volume-create").click();

        assertThat(page.locator("#volume-name")).hasAttribute("invalid", "");
        assertThat(page.locator("#volume-name")).containsText("ends in .qcow2");
        assertThat(page.locator("#volume-size")).not().hasAttribute("invalid", "");
        Assertions.assertThat(virsh("vol-list", "--pool", DEMO_POOL)).doesNotContain(name);
    }
}
