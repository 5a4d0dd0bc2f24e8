package org.kvmportal.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kvmportal.testing.Virsh.virsh;
import static org.kvmportal.testing.Virsh.virshQuietly;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.HostState;
import org.kvmportal.hypervisor.Hypervisor;
import org.kvmportal.hypervisor.PowerState;
import org.kvmportal.hypervisor.VmSource;
import org.kvmportal.testing.TestAccounts;
import org.kvmportal.testing.Virsh;
import org.kvmportal.vm.VmAction;
import org.kvmportal.vm.VmService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Real VMs on qemu:///system from demo-template (scripts/demo-host.sh): a linked clone that boots the guest to
 * its shell, then a full clone of that stopped VM. Each VM and volume made here is removed at the end.
 */
@SpringBootTest
@WithMockUser(username = "provisioning-admin", roles = "ADMIN")
class ProvisioningIT {

    private static final String TEMPLATE = "demo-template";
    private static final String POOL = "kvm-portal";
    /**
     * The banner of the root shell on the serial port: the guest has booted to its shell. (Its "booted" line
     * goes to /dev/console, which is the VGA console.)
     */
    private static final String BOOTED = "KVM Portal demo guest - busybox shell on";

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void systemHost(DynamicPropertyRegistry registry) {
        Virsh.asOnlyHost(registry, () -> dir);
    }

    @Autowired
    ProvisioningService provisioning;

    @Autowired
    VmService vms;

    @Autowired
    Hypervisor hypervisor;

    @Autowired
    JdbcClient jdbc;

    private final String prefix = "kp-prov-" + Long.toString(System.nanoTime() % 1_000_000, 36);
    private final List<String> made = new ArrayList<>();

    @BeforeEach
    void adminAndTemplate() throws InterruptedException {
        new TestAccounts(jdbc).user("provisioning-admin", "ADMIN");
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (hypervisor.hosts().getFirst().state() != HostState.CONNECTED) {
            assertThat(System.nanoTime()).as("host connected").isLessThan(deadline);
            Thread.sleep(50);
        }
        provisioning.markTemplate(template().ref(), true);
    }

    @AfterEach
    void removeWhatWasMade() {
        for (String name : made.reversed()) {
            virshQuietly("destroy", name);
            virshQuietly("undefine", name);
            for (String volume : List.of(name + ".qcow2", name + ".img")) {
                virshQuietly("vol-delete", volume, "--pool", POOL);
            }
            try {
                Files.deleteIfExists(Path.of("/var/log/libvirt/qemu/" + name + "-serial0.log"));
            } catch (IOException ignored) {
                // only tidiness
            }
        }
    }

    @Test
    void a_linked_clone_of_the_template_boots_the_guest_and_a_stopped_vm_clones_with_new_identity() throws Exception {
        String name = prefix + "-a";
        made.add(name);
        var request = new NewVmRequest(
                UUID.randomUUID(),
                "local",
                name,
                "made by ProvisioningIT: \"quoted\" <tag> & more",
                new VmSource.CopyOf(template().ref().uuid(), true),
                null,
                1,
                256,
                0,
                null,
                null,
                null,
                false);

        var created = provisioning.create(request).join();

        assertThat(virsh("domuuid", name)).isEqualTo(request.uuid().toString());
        assertThat(virsh("dumpxml", name))
                .contains("<source pool='" + POOL + "' volume='" + name + ".qcow2'/>")
                .contains("<log file='/var/log/libvirt/qemu/" + name + "-serial0.log'")
                .contains("&quot;quoted&quot; &lt;tag&gt; &amp; more");
        String templatePath = virsh("vol-path", TEMPLATE + ".qcow2", "--pool", POOL);
        String path = virsh("vol-path", name + ".qcow2", "--pool", POOL);
        assertThat(virsh("vol-dumpxml", name + ".qcow2", "--pool", POOL))
                .contains("<backingStore>")
                .contains("<path>" + templatePath + "</path>");
        assertThat(Virsh.run(List.of("qemu-img", "info", "--backing-chain", path)))
                .contains("backing file: " + templatePath)
                .contains("file format: qcow2");
        assertThat(macOf(name)).startsWith("52:54:00:").isNotEqualTo(macOf(TEMPLATE));

        vms.perform(VmAction.START, created.ref()).join();
        awaitSerialLog(name, BOOTED);
        vms.perform(VmAction.FORCE_OFF, created.ref()).join();
        awaitState(name, PowerState.SHUT_OFF);

        String cloneName = prefix + "-b";
        made.add(cloneName);
        var clone = provisioning
                .cloneVm(new CloneRequest(null, created.ref(), cloneName, "", false))
                .join();

        assertThat(clone.ref().uuid()).isNotEqualTo(created.ref().uuid());
        assertThat(virsh("domuuid", cloneName)).isEqualTo(clone.ref().uuid().toString());
        assertThat(macOf(cloneName)).startsWith("52:54:00:").isNotEqualTo(macOf(name));
        // A full copy stands alone: no backing file.
        assertThat(virsh("vol-dumpxml", cloneName + ".qcow2", "--pool", POOL)).doesNotContain("<backingStore>");
        assertThat(virsh("dumpxml", name)).contains("volume='" + name + ".qcow2'");
    }

    private DomainSummary template() {
        return hypervisor.domains().stream()
                .filter(vm -> vm.name().equals(TEMPLATE))
                .findFirst()
                .orElseThrow(() -> new AssertionError(TEMPLATE + " is not defined: run scripts/demo-host.sh"));
    }

    private static String macOf(String name) {
        var matcher = Pattern.compile("<mac address='([0-9a-f:]+)'/>").matcher(virsh("dumpxml", name, "--inactive"));
        assertThat(matcher.find()).as("a MAC address in " + name).isTrue();
        return matcher.group(1);
    }

    private static void awaitSerialLog(String name, String text) throws InterruptedException, IOException {
        var log = Path.of("/var/log/libvirt/qemu/" + name + "-serial0.log");
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!(Files.exists(log) && Files.readString(log).contains(text))) {
            assertThat(System.nanoTime())
                    .as(name + " writes \"" + text + "\" to its serial log")
                    .isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    private void awaitState(String name, PowerState state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (hypervisor.domains().stream().noneMatch(vm -> vm.name().equals(name) && vm.state() == state)) {
            assertThat(System.nanoTime()).as(name + " reaches " + state).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
