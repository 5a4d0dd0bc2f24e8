package org.kvmportal.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.kvmportal.e2e.DemoUser.ADMIN;
import static org.kvmportal.testing.Virsh.virsh;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.Hypervisor;
import org.kvmportal.testing.ThrowawayDomain;
import org.springframework.beans.factory.annotation.Autowired;

/** The Snapshots tab of a VM's page, on a throwaway QEMU domain of the test's own (not a demo VM). */
class SnapshotsTabIT extends BrowserTest {

    @Autowired
    Hypervisor hypervisor;

    private ThrowawayDomain domain;

    @AfterEach
    void removeDomain() {
        if (domain != null) {
            domain.close();
        }
    }

    @Test
    void an_admin_takes_a_snapshot_sees_it_in_the_tree_and_reverts_to_it() throws Exception {
        domain = ThrowawayDomain.define("kp-snap-ui", "qcow2");
        var ref = new DomainRef("local", domain.uuid());
        awaitListed(ref);
        signIn(page, ADMIN);
        page.navigate("/vms/local/" + ref.uuid());
        page.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("Snapshots"))
                .click();

        page.locator("#create-snapshot").click();
        page.locator("#snapshot-name input").fill("ui-first");
        page.locator("#snapshot-description textarea").fill("Taken from the <b>browser</b>");
        assertThat(page.locator("#snapshot-notice")).containsText("A full snapshot of the disks");
        page.locator("#confirm-create-snapshot").click();

        var tree = page.locator("#snapshot-tree");
        assertThat(tree.getByText("ui-first", new Locator.GetByTextOptions().setExact(true)))
                .isVisible();
        assertThat(tree.getByText("Taken from the <b>browser</b>")).isVisible();
        assertThat(virsh("snapshot-list", domain.name(), "--name")).isEqualTo("ui-first");

        // A second snapshot taken behind the portal's back becomes the current one, under the first.
        virsh("snapshot-create-as", domain.name(), "ui-second");
        page.locator("#refresh-snapshots").click();
        assertThat(tree.locator(".snapshot-marker[data-snapshot='ui-second']")).hasText("current");

        // Selects the row (a click on the name would fold the tree: the name is the tree's toggle).
        tree.getByText("Taken from the <b>browser</b>").click();
        page.locator("#revert-snapshot").click();
        assertThat(page.locator("#revert-warning")).containsText("go back to snapshot \"ui-first\"");
        page.locator("#confirm-revert").click();

        assertThat(page.getByText(domain.name() + " reverted to ui-first.")).isVisible();
        assertThat(virsh("snapshot-current", domain.name(), "--name")).isEqualTo("ui-first");
        assertThat(tree.locator(".snapshot-marker[data-snapshot='ui-first']")).hasText("current");
    }

    private void awaitListed(DomainRef ref) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (hypervisor.domain(ref).isEmpty()) {
            assertThat(System.nanoTime()).as(ref + " listed").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
