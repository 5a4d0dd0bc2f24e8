package org.kvmportal.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kvmportal.testing.Virsh.virsh;
import static org.kvmportal.testing.Virsh.virshQuietly;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.HostState;
import org.kvmportal.hypervisor.Hypervisor;
import org.kvmportal.testing.TestAccounts;
import org.kvmportal.testing.Virsh;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Editing a real QEMU guest on {@code qemu:///system}: a throwaway domain of its own (the demo guest's kernel,
 * its own qcow2 disk, its own transient storage pool in a temporary folder), each change checked with virsh.
 */
@SpringBootTest
@WithMockUser(username = "edit-it-admin", roles = "ADMIN")
class VmEditingIT {

    private static final String MEMORY_PENDING = "Memory: 320 MiB now, 384 MiB after the next start";
    private static final String MAX_MEMORY_PENDING = "Maximum memory: 320 MiB now, 384 MiB after the next start";
    private static final String DEMO = "/var/lib/kvm-portal/demo";
    private static final String DOMAIN_XML = """
            <domain type='qemu'>
              <name>%s</name>
              <uuid>%s</uuid>
              <memory unit='MiB'>256</memory>
              <currentMemory unit='MiB'>256</currentMemory>
              <vcpu current='1'>2</vcpu>
              <os>
                <type arch='x86_64' machine='pc'>hvm</type>
                <kernel>%s/vmlinuz</kernel>
                <initrd>%s/initrd.img</initrd>
                <cmdline>console=ttyS0 console=tty0 panic=10</cmdline>
              </os>
              <features><acpi/><apic/></features>
              <on_poweroff>destroy</on_poweroff>
              <devices>
                <disk type='file' device='disk'>
                  <driver name='qemu' type='qcow2'/>
                  <source file='%s/root.qcow2'/>
                  <target dev='vda' bus='virtio'/>
                </disk>
                <disk type='file' device='cdrom'>
                  <driver name='qemu' type='raw'/>
                  <target dev='sda' bus='sata'/>
                  <readonly/>
                </disk>
                <interface type='user'>
                  <model type='virtio'/>
                </interface>
                <serial type='pty'><target port='0'/></serial>
                <graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'/>
                <memballoon model='none'/>
              </devices>
            </domain>
            """;

    @TempDir
    static Path data;

    @DynamicPropertySource
    static void localHost(DynamicPropertyRegistry registry) {
        Virsh.asOnlyHost(registry, () -> data);
    }

    @Autowired
    VmEditing editing;

    @Autowired
    Hypervisor hypervisor;

    @Autowired
    JdbcClient jdbc;

    private String name;
    private String pool;
    private Path dir;
    private DomainRef ref;

    @BeforeEach
    void throwawayDomain() throws Exception {
        new TestAccounts(jdbc).user("edit-it-admin", "ADMIN");
        String id = UUID.randomUUID().toString().substring(0, 8);
        name = "kp-edit-" + id;
        pool = "kp-edit-pool-" + id;
        // QEMU runs as its own user: it must be able to reach the disks.
        dir = Files.createTempDirectory(
                "kp-edit-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        var poolDir = Files.createDirectory(dir.resolve("pool"));
        Virsh.run(List.of(
                "qemu-img",
                "create",
                "-q",
                "-f",
                "qcow2",
                dir.resolve("root.qcow2").toString(),
                "64M"));
        Files.write(poolDir.resolve("kp-disc.iso"), new byte[1024 * 1024]);
        virsh("pool-create-as", pool, "dir", "--target", poolDir.toString());
        var uuid = UUID.randomUUID();
        var xml = dir.resolve("domain.xml");
        Files.writeString(xml, DOMAIN_XML.formatted(name, uuid, DEMO, DEMO, dir));
        virsh("define", xml.toString());
        ref = new DomainRef("local", uuid);
        awaitListed();
    }

    @AfterEach
    void removeEverything() throws IOException {
        virshQuietly("destroy", name);
        virshQuietly("undefine", name);
        virshQuietly("pool-destroy", pool);
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        }
    }

    @Test
    void memory_vcpus_disks_cdrom_and_nics_change_on_a_real_guest() throws Exception {
        editing.setProcessorsAndMemory(ref, 1, 2, 320L, 320L).join();
        assertThat(virsh("dumpxml", name, "--inactive"))
                .contains("<memory unit='KiB'>327680</memory>", "<currentMemory unit='KiB'>327680</currentMemory>")
                .contains("<vcpu placement='static' current='1'>2</vcpu>");

        editing.addNewDisk(ref, pool, "data.qcow2", 1L, "qcow2", "virtio").join();
        String volume = dir.resolve("pool/data.qcow2").toString();
        assertThat(virsh("dumpxml", name, "--inactive")).contains("<source file='" + volume + "'/>");
        editing.detachDisk(ref, "vdb").join();
        assertThat(virsh("dumpxml", name, "--inactive")).doesNotContain(volume);
        assertThat(Files.exists(Path.of(volume)))
                .as("detaching keeps the volume")
                .isTrue();
        editing.addNic(ref, null, "e1000", "52:54:00:4b:50:01").join();
        assertThat(virsh("dumpxml", name, "--inactive")).contains("<mac address='52:54:00:4b:50:01'/>");
        editing.removeNic(ref, "52:54:00:4b:50:01").join();
        assertThat(virsh("dumpxml", name, "--inactive")).doesNotContain("52:54:00:4b:50:01");

        virsh("start", name);
        awaitRunning();

        // vCPUs are hot-plugged; more memory than the guest started with waits for the next start, and says so.
        var outcome = editing.setProcessorsAndMemory(ref, 2, 2, 384L, 384L).join();
        assertThat(virsh("vcpucount", name, "--live", "--current")).isEqualTo("2");
        assertThat(outcome.pending()).containsExactly(MEMORY_PENDING, MAX_MEMORY_PENDING);
        assertThat(editing.hardware(ref).join().pending()).containsExactly(MEMORY_PENDING, MAX_MEMORY_PENDING);
        assertThat(virsh("dumpxml", name, "--inactive")).contains("<memory unit='KiB'>393216</memory>");
        assertThat(virsh("dumpxml", name)).contains("<memory unit='KiB'>327680</memory>");

        // Disks, NICs and CD-ROM media go into the running guest at once.
        editing.attachDisk(ref, pool, "data.qcow2", "virtio").join();
        assertThat(virsh("domblklist", name)).containsPattern("vdb\\s+" + volume);
        editing.addNic(ref, null, "e1000", "52:54:00:4b:50:02").join();
        assertThat(virsh("domiflist", name)).contains("52:54:00:4b:50:02");
        String iso = dir.resolve("pool/kp-disc.iso").toString();
        editing.insertMedia(ref, "sda", pool, "kp-disc.iso").join();
        assertThat(virsh("domblklist", name)).containsPattern("sda\\s+" + iso);
        assertThat(virsh("dumpxml", name, "--inactive")).contains("<source file='" + iso + "'/>");
        editing.ejectMedia(ref, "sda").join();
        assertThat(virsh("domblklist", name)).containsPattern("sda\\s+-");
        assertThat(virsh("dumpxml", name, "--inactive")).doesNotContain(iso);
        assertThat(editing.hardware(ref).join().pending())
                .as("only the memory waits for a restart")
                .containsExactly(MEMORY_PENDING, MAX_MEMORY_PENDING);

        // Unplugging needs the guest's help: until it lets go, the disk is reported as waiting for the restart.
        editing.detachDisk(ref, "vdb").join();
        assertThat(virsh("dumpxml", name, "--inactive")).doesNotContain(volume);
        var pending = editing.hardware(ref).join().pending();
        boolean stillPlugged = virsh("domblklist", name).contains(volume);
        assertThat(pending.contains("Disk vdb: removed at the next start")).isEqualTo(stillPlugged);
    }

    private static void eventually(Supplier<String> read, java.util.function.Predicate<String> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String last = read.get();
        while (!done.test(last)) {
            assertThat(System.nanoTime()).as("in time, last seen: " + last).isLessThan(deadline);
            Thread.sleep(250);
            last = read.get();
        }
    }

    private void awaitRunning() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!hypervisor.domain(ref).orElseThrow().state().isActive()) {
            assertThat(System.nanoTime()).as(name + " running").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private void awaitListed() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (hypervisor.hosts().getFirst().state() != HostState.CONNECTED
                || hypervisor.domain(ref).isEmpty()) {
            assertThat(System.nanoTime()).as(name + " listed").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
