package org.kvmportal.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.kvmportal.e2e.DemoUser.ADMIN;
import static org.kvmportal.e2e.DemoUser.ALICE;
import static org.kvmportal.e2e.DemoUser.HELPDESK;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.options.AriaRole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Who sees and does what, in the browser, with the demo assignments: alice operates demo-bravo, bob uses
 * demo-alpha's console, demo-charlie is unassigned.
 */
class AccessIT extends BrowserTest {

    @AfterEach
    void leaveBravoOff() {
        Virsh.destroyIfRunning("demo-bravo");
    }

    @Test
    void a_user_cannot_reach_another_users_vm_by_typing_its_address() {
        signIn(page, ALICE);
        String uuid = org.kvmportal.testing.Virsh.virsh("domuuid", "demo-alpha").strip();

        page.navigate("/vms/local/" + uuid);
        assertThat(page.getByText("No such virtual machine")).isVisible();
        assertThat(page.locator("#vm-name")).hasCount(0);

        page.navigate("/vms/local/" + uuid + "/console");
        assertThat(page.getByText("No such virtual machine")).isVisible();
        assertThat(page.locator("kp-screen-console")).hasCount(0);
    }

    @Test
    void a_user_finds_her_vm_on_my_vms_with_the_actions_her_level_allows() {
        Virsh.start("demo-bravo");
        signIn(page, ALICE);

        page.navigate("/my-vms");

        var card = page.locator(".vm-card[data-vm='demo-bravo']");
        assertThat(card).isVisible();
        assertThat(card.getByText("Your access: Operate")).isVisible();
        assertThat(card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Console")))
                .isVisible();
        assertThat(card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Force off")))
                .isVisible();
        assertThat(card.locator("img")).hasAttribute("alt", "Screen of demo-bravo");
        assertThat(page.locator(".vm-card")).hasCount(1);
    }

    @Test
    void help_desk_resets_a_users_vm_with_a_reason_that_lands_in_the_audit_log() {
        Virsh.start("demo-bravo");
        signIn(page, HELPDESK);
        page.navigate("/support");
        page.locator("#support-search input").fill("alice");
        // The only match is chosen by itself.
        assertThat(page.getByText("Machines of Alice")).isVisible();
        var actions = page.locator("#support-vms [data-vm='demo-bravo']");
        actions.getByRole(
                        AriaRole.BUTTON,
                        new Locator.GetByRoleOptions().setName("Reset").setExact(true))
                .click();

        String reason = "ticket " + System.nanoTime() % 100_000 + ": screen frozen";
        var confirm = page.locator("#confirm-action");
        assertThat(confirm).isDisabled();
        page.locator("#action-reason textarea").fill(reason);
        confirm.click();
        assertThat(page.getByText("Reset: 1 of 1 succeeded.")).isVisible();

        var admin = newSession();
        signIn(admin, ADMIN);
        admin.navigate("/audit");
        assertThat(admin.getByText(reason).first()).isVisible();
    }

    @Test
    void help_desk_cannot_reach_an_unassigned_vm() {
        signIn(page, HELPDESK);
        String uuid =
                org.kvmportal.testing.Virsh.virsh("domuuid", "demo-charlie").strip();

        page.navigate("/vms/local/" + uuid);

        assertThat(page.getByText("No such virtual machine")).isVisible();
    }
}
