package org.kvmportal.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.kvmportal.e2e.DemoUser.ADMIN;
import static org.kvmportal.testing.Virsh.virsh;
import static org.kvmportal.testing.Virsh.virshQuietly;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.Hypervisor;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Deleting a VM from its page, on the real host: the dialog says which disks would go, and the disk goes
 * only when asked, as virsh sees it afterwards. Each test defines a throwaway VM with a small volume in the
 * demo pool and removes whatever is left of it after.
 */
class VmDeleteIT extends BrowserTest {

    private static final String POOL = "kvm-portal";
    /** Where the page goes once the VM is gone: the VM list, whatever its filters. */
    private static final Pattern VM_LIST = Pattern.compile(".*/(\\?.*)?$");

    private final String name = "kp-delete-e2e-" + Long.toString(System.nanoTime() % 1_000_000, 36);

    @Autowired
    Hypervisor hypervisor;

    @BeforeEach
    void throwawayVm() throws IOException {
        virsh("vol-create-as", POOL, volume(), "16M", "--format", "qcow2");
        var xml = Files.createTempFile(name, ".xml");
        Files.writeString(xml, """
                <domain type='qemu'>
                  <name>%s</name>
                  <memory unit='MiB'>64</memory>
                  <vcpu>1</vcpu>
                  <os><type arch='x86_64'>hvm</type></os>
                  <devices>
                    <disk type='volume' device='disk'>
                      <driver name='qemu' type='qcow2'/>
                      <source pool='%s' volume='%s'/>
                      <target dev='vda' bus='virtio'/>
                    </disk>
                  </devices>
                </domain>
                """.formatted(name, POOL, volume()));
        virsh("define", xml.toString());
        Files.delete(xml);
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        hypervisor.domains().stream().map(DomainSummary::name).anyMatch(name::equals));
    }

    @AfterEach
    void removeWhatIsLeft() {
        virshQuietly("undefine", name);
        virshQuietly("vol-delete", volume(), "--pool", POOL);
    }

    @Test
    void deleting_with_its_disks_removes_the_definition_and_the_volume() {
        openDeleteDialog();
        assertThat(page.locator("#delete-vm-disks")).containsText("vda");
        assertThat(page.locator("#delete-vm-disks")).containsText("deleted if you tick the box below");

        page.locator("#delete-vm-disks-too").click();
        page.locator("#delete-vm-confirm").click();

        assertThat(page).hasURL(VM_LIST);
        assertThat(definedVms()).doesNotContain(name);
        assertThat(volumes()).doesNotContain(volume());
    }

    @Test
    void deleting_without_ticking_the_box_keeps_the_disk() {
        openDeleteDialog();
        assertThat(page.locator("#delete-vm-disks")).containsText("deleted if you tick the box below");

        page.locator("#delete-vm-confirm").click();

        assertThat(page).hasURL(VM_LIST);
        assertThat(definedVms()).doesNotContain(name);
        assertThat(volumes()).contains(volume());
    }

    private void openDeleteDialog() {
        signIn(page, ADMIN);
        page.navigate("/vms/local/" + virsh("domuuid", name).strip());
        assertThat(page.locator("#vm-name")).hasText(name);
        page.locator("#delete-vm").click();
        assertThat(page.locator("#delete-vm-disks")).isVisible(); // the dialog's host element has no size of its own
    }

    private String volume() {
        return name + ".qcow2";
    }

    private static List<String> definedVms() {
        return virsh("list", "--all", "--name").lines().map(String::strip).toList();
    }

    private static List<String> volumes() {
        return virsh("vol-list", POOL)
                .lines()
                .map(line -> line.strip().split("\\s+")[0])
                .toList();
    }
}
