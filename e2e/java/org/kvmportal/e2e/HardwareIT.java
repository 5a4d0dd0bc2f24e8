package org.kvmportal.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.kvmportal.e2e.DemoUser.ADMIN;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kvmportal.testing.Virsh;

/** An admin changes a VM's memory and vCPUs on its Hardware tab (a throwaway VM of this test, not a demo VM). */
class HardwareIT extends BrowserTest {

    private static final String DOMAIN_XML = """
            <domain type='qemu'>
              <name>%s</name>
              <uuid>%s</uuid>
              <memory unit='MiB'>256</memory>
              <vcpu>1</vcpu>
              <os>
                <type arch='x86_64' machine='pc'>hvm</type>
                <kernel>/var/lib/kvm-portal/demo/vmlinuz</kernel>
                <initrd>/var/lib/kvm-portal/demo/initrd.img</initrd>
              </os>
              <devices>
                <interface type='user'><model type='virtio'/></interface>
                <memballoon model='none'/>
              </devices>
            </domain>
            """;

    private String name;
    private String uuid;

    @BeforeEach
    void throwawayVm() throws IOException {
        name = "kp-edit-e2e-" + UUID.randomUUID().toString().substring(0, 8);
        uuid = UUID.randomUUID().toString();
        Path xml = Files.createTempFile("kp-edit-e2e-", ".xml");
        try {
            Files.writeString(xml, DOMAIN_XML.formatted(name, uuid));
            Virsh.virsh("define", xml.toString());
        } finally {
            Files.delete(xml);
        }
    }

    @AfterEach
    void removeIt() {
        Virsh.virshQuietly("undefine", name);
    }

    @Test
    void an_admin_changes_memory_and_vcpus_on_the_hardware_tab() {
        signIn(page, ADMIN);
        page.navigate("/vms/local/" + uuid);
        page.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("Hardware"))
                .click();

        input("#hw-max-vcpus").fill("2");
        input("#hw-vcpus").fill("2");
        input("#hw-max-memory").fill("512");
        input("#hw-memory").fill("384");
        page.locator("#hw-cpu-save").click();

        assertThat(page.locator("vaadin-notification-card")).containsText("Saved.");
        assertThat(input("#hw-vcpus")).hasValue("2");
        assertThat(input("#hw-memory")).hasValue("384");
        String xml = Virsh.virsh("dumpxml", name, "--inactive");
        org.assertj.core.api.Assertions.assertThat(xml)
                .contains("<vcpu placement='static'>2</vcpu>")
                .contains("<memory unit='KiB'>524288</memory>")
                .contains("<currentMemory unit='KiB'>393216</currentMemory>");

        // A value beyond the host's limit is refused at its field, and nothing changes.
        input("#hw-max-vcpus").fill("100000");
        page.locator("#hw-cpu-save").click();
        assertThat(page.locator("#hw-max-vcpus")).hasAttribute("invalid", "");
        assertThat(page.locator("#hw-max-vcpus")).containsText("at most");
        org.assertj.core.api.Assertions.assertThat(Virsh.virsh("dumpxml", name, "--inactive"))
                .isEqualTo(xml);
    }

    private Locator input(String field) {
        return page.locator(field + " input");
    }
}
