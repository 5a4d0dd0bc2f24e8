package org.kvmportal.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.kvmportal.e2e.DemoUser.ALICE;
import static org.kvmportal.testing.Virsh.virshQuietly;

import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The create wizard end to end, as a user within her quota: demo-template (open for self-service in the demo
 * profile) → name → the XML preview → create → the new VM's page. The VM and its volume are removed after.
 */
class NewVmIT extends BrowserTest {

    private final String name = "kp-prov-e2e-" + Long.toString(System.nanoTime() % 1_000_000, 36);

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void aliceHasAQuota() {
        setAliceQuota(3);
    }

    @AfterEach
    void removeTheVm() {
        setAliceQuota(null);
        virshQuietly("destroy", name);
        virshQuietly("undefine", name);
        virshQuietly("vol-delete", name + ".qcow2", "--pool", "kvm-portal");
    }

    @Test
    void a_user_creates_a_vm_from_a_template_after_seeing_its_definition() {
        signIn(page, ALICE);
        page.navigate("/");
        page.locator("#new-vm").click();

        assertThat(page.locator("#new-vm-quota")).containsText("up to 3 VMs");
        assertThat(page.locator("#new-vm-template")).containsText("demo-template");
        page.locator("#new-vm-next").click();
        page.locator("#new-vm-name input").fill(name);
        page.locator("#new-vm-description textarea").fill("Alice's \"lab\" <VM> & notes");
        page.locator("#new-vm-next").click();

        var xml = page.locator("#new-vm-xml");
        assertThat(xml).containsText("<name>" + name + "</name>");
        assertThat(xml).containsText("volume=\"" + name + ".qcow2\"");
        assertThat(xml).containsText("<description>Alice's \"lab\" &lt;VM&gt; &amp; notes</description>");
        page.locator("#new-vm-create").click();

        assertThat(page).hasURL(Pattern.compile(".*/vms/local/[0-9a-f-]{36}$"));
        assertThat(page.locator("#vm-name")).hasText(name);
        assertThat(page.getByText("Alice's \"lab\" <VM> & notes")).isVisible();
        String uuid = org.kvmportal.testing.Virsh.virsh("domuuid", name).strip();
        assertThat(page).hasURL(Pattern.compile(".*/vms/local/" + uuid + "$"));
    }

    private void setAliceQuota(Integer vms) {
        jdbc.sql("update app_user set quota_vms = :vms where username = 'alice'")
                .param("vms", vms)
                .update();
    }
}
