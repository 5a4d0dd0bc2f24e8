package org.kvmportal.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kvmportal.testing.Virsh.virsh;
import static org.kvmportal.testing.Virsh.virshQuietly;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.Hypervisor;
import org.kvmportal.hypervisor.NewVolume;
import org.kvmportal.hypervisor.StoragePools;
import org.kvmportal.hypervisor.VolumeFormat;
import org.kvmportal.hypervisor.VolumeInUseException;
import org.kvmportal.network.NetworkService;
import org.kvmportal.testing.DiscImages;
import org.kvmportal.testing.SimulatedHost;
import org.kvmportal.testing.TestAccounts;
import org.kvmportal.testing.Virsh;
import org.kvmportal.vm.VmRemoval;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Storage, networks and VM deletion on the real host (qemu:///system), in a throwaway directory pool, with
 * throwaway domains and a throwaway NAT network, all named {@code kp-st-...} and removed afterwards; the demo
 * VMs are never touched.
 */
@SpringBootTest
@WithMockUser(username = "storage-it-admin", roles = "ADMIN")
class StorageIT {

    private static final String RUN = Long.toHexString(System.nanoTime() & 0xffffffL);
    private static final String POOL = "kp-st-pool-" + RUN;
    private static final String NETWORK = "kp-st-net-" + RUN;
    private static final long GIB = 1024L * 1024 * 1024;

    @TempDir
    static Path dir;

    private static final List<String> domains = new CopyOnWriteArrayList<>();

    @DynamicPropertySource
    static void realHost(DynamicPropertyRegistry registry) {
        Virsh.asOnlyHost(registry, () -> dir.resolve("data"));
    }

    @BeforeAll
    static void throwawayPool() throws Exception {
        Path target = Files.createDirectories(dir.resolve("pool"));
        virsh("pool-define-as", POOL, "dir", "--target", target.toString());
        virsh("pool-start", POOL);
    }

    @AfterAll
    static void removeWhatTheTestsMade() {
        for (String domain : domains) {
            virshQuietly("destroy", domain);
            virshQuietly("undefine", domain);
        }
        for (String volume : Virsh.run(List.of(
                        "sh",
                        "-c",
                        "virsh -q -c qemu:///system vol-list " + POOL + " 2>/dev/null | awk '{print $1}' || true"))
                .lines()
                .filter(line -> !line.isBlank())
                .toList()) {
            virshQuietly("vol-delete", "--pool", POOL, volume);
        }
        virshQuietly("pool-destroy", POOL);
        virshQuietly("pool-undefine", POOL);
        virshQuietly("net-destroy", NETWORK);
        virshQuietly("net-undefine", NETWORK);
    }

    @Autowired
    StorageService storage;

    @Autowired
    StoragePools pools;

    @Autowired
    NetworkService networks;

    @Autowired
    VmRemoval removal;

    @Autowired
    Hypervisor hypervisor;

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void connected() throws InterruptedException {
        SimulatedHost.awaitListed(hypervisor, 0);
        new TestAccounts(jdbc).user("storage-it-admin", "ADMIN");
    }

    @Test
    void a_qcow2_volume_is_created_grown_and_protected_while_another_is_backed_by_it() {
        var pool = storage.pools("local").join().stream()
                .filter(p -> p.name().equals(POOL))
                .findFirst()
                .orElseThrow();
        assertThat(pool.active()).isTrue();
        assertThat(pool.availableBytes()).isPositive();

        storage.createVolume("local", POOL, "base.qcow2", VolumeFormat.QCOW2, 1L)
                .join();
        storage.resizeVolume("local", POOL, "base.qcow2", 2L).join();
        assertThat(virsh("vol-info", "--pool", POOL, "base.qcow2", "--bytes"))
                .containsPattern("Capacity:\\s+" + 2 * GIB + " bytes");

        pools.createVolume("local", POOL, new NewVolume("overlay.qcow2", VolumeFormat.QCOW2, 2 * GIB, "base.qcow2"))
                .join();
        String basePath = virsh("vol-path", "--pool", POOL, "base.qcow2");
        assertThat(Virsh.run(List.of("qemu-img", "info", "-U", virsh("vol-path", "--pool", POOL, "overlay.qcow2"))))
                .contains("backing file: " + basePath);

        assertThatThrownBy(
                        () -> storage.deleteVolume("local", POOL, "base.qcow2").join())
                .cause()
                .isInstanceOf(VolumeInUseException.class)
                .hasMessageContaining("it is the backing file of volume " + POOL + "/overlay.qcow2");
        assertThat(virsh("vol-list", POOL)).contains("base.qcow2");

        storage.deleteVolume("local", POOL, "overlay.qcow2").join();
        storage.deleteVolume("local", POOL, "base.qcow2").join();
        assertThat(virsh("vol-list", POOL)).doesNotContain("base.qcow2", "overlay.qcow2");
    }

    @Test
    void an_iso_is_uploaded_through_the_stream_and_reads_back_the_same() throws Exception {
        byte[] iso = DiscImages.iso9660(3 * 1024 * 1024 + 123); // more than three chunks, the last one short
        var progress = new ArrayList<Long>();

        var volume = storage.uploadIso(
                "local", POOL, "fake-install.iso", iso.length, new ByteArrayInputStream(iso), progress::add);

        assertThat(volume.capacityBytes()).isEqualTo(iso.length);
        assertThat(progress)
                .hasSize((iso.length + (1 << 20) - 1) >> 20)
                .isSorted()
                .endsWith((long) iso.length);
        Path back = dir.resolve("downloaded.iso");
        virsh("vol-download", "--pool", POOL, "fake-install.iso", back.toString());
        assertThat(Files.readAllBytes(back)).isEqualTo(iso);
    }

    @Test
    void a_udf_image_is_taken_and_a_file_that_is_no_disc_image_is_refused_before_anything_is_written() {
        byte[] udf = DiscImages.udf(256 * 1024);
        storage.uploadIso("local", POOL, "udf-install.iso", udf.length, new ByteArrayInputStream(udf), sent -> {});
        assertThat(virsh("vol-list", POOL)).contains("udf-install.iso");

        byte[] notAnIso = new byte[3 * 1024 * 1024];
        new Random(9).nextBytes(notAnIso);
        assertThatThrownBy(() -> storage.uploadIso(
                        "local", POOL, "renamed.iso", notAnIso.length, new ByteArrayInputStream(notAnIso), s -> {}))
                .isInstanceOfSatisfying(
                        StorageInputException.class, e -> assertThat(e.field()).isEqualTo("file"));
        assertThat(virsh("vol-list", POOL)).doesNotContain("renamed.iso");

        storage.deleteVolume("local", POOL, "udf-install.iso").join();
    }

    @Test
    void an_upload_that_breaks_off_leaves_no_volume_behind() {
        byte[] half = Arrays.copyOf(DiscImages.iso9660(2 * 1024 * 1024), 1024 * 1024 + 10);

        assertThatThrownBy(() -> storage.uploadIso(
                        "local", POOL, "broken.iso", 4L * 1024 * 1024, new ByteArrayInputStream(half), sent -> {}))
                .hasMessageContaining("the file ended after " + half.length + " of " + 4L * 1024 * 1024 + " bytes");
        assertThat(virsh("vol-list", POOL)).doesNotContain("broken.iso");
    }

    @Test
    void a_vm_is_deleted_with_its_own_disk_but_not_with_a_disk_another_vm_uses() throws Exception {
        var own = storage.createVolume("local", POOL, "own.qcow2", VolumeFormat.QCOW2, 1L)
                .join();
        var shared = storage.createVolume("local", POOL, "shared.qcow2", VolumeFormat.QCOW2, 1L)
                .join();
        var first = define("kp-st-vm-a-" + RUN, own.path(), shared.path());
        var second = define("kp-st-vm-b-" + RUN, shared.path());

        var outcome = removal.delete(first, true).join();

        assertThat(outcome.removed()).containsExactly(own.path());
        assertThat(outcome.kept()).singleElement().satisfies(disk -> {
            assertThat(disk.path()).isEqualTo(shared.path());
            assertThat(disk.protections()).containsExactly("it is a disk of VM kp-st-vm-b-" + RUN);
        });
        assertThat(virsh("list", "--all", "--name")).doesNotContain("kp-st-vm-a-" + RUN);
        assertThat(virsh("vol-list", POOL)).doesNotContain("own.qcow2").contains("shared.qcow2");

        var kept = removal.delete(second, false).join();
        assertThat(kept.removed()).isEmpty();
        assertThat(virsh("list", "--all", "--name")).doesNotContain("kp-st-vm-b-" + RUN);
        assertThat(virsh("vol-list", POOL)).contains("shared.qcow2");
    }

    @Test
    void a_nat_network_is_defined_started_read_and_stopped() {
        // A subnet of 10.231.0.0/16 that no other network of the host uses; the network sends no traffic.
        int third = 100 + new Random().nextInt(100);
        String prefix = "10.231." + third + ".";
        networks.defineNat("local", NETWORK, prefix + "1/24", prefix + "100", prefix + "150")
                .join();

        networks.start("local", NETWORK).join();
        assertThat(virsh("net-info", NETWORK)).containsPattern("Active:\\s+yes");
        assertThat(virsh("net-dumpxml", NETWORK))
                .contains("<forward mode='nat'")
                .contains(prefix + "100");
        assertThat(networks.leases("local", NETWORK).join()).isEmpty(); // no guest on it: the call itself works
        networks.setAutostart("local", NETWORK, true).join();
        assertThat(virsh("net-info", NETWORK)).containsPattern("Autostart:\\s+yes");
        networks.setAutostart("local", NETWORK, false).join();
        networks.stop("local", NETWORK).join();
        assertThat(virsh("net-info", NETWORK)).containsPattern("Active:\\s+no");
    }

    /** A throwaway domain (never started) whose disks are the given files. */
    private DomainRef define(String name, String... disks) throws Exception {
        var devices = new StringBuilder();
        char letter = 'a';
        for (String disk : disks) {
            devices.append("<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='")
                    .append(disk)
                    .append("'/><target dev='vd")
                    .append(letter++)
                    .append("' bus='virtio'/></disk>");
        }
        String uuid = UUID.randomUUID().toString();
        Path xml = dir.resolve(name + ".xml");
        Files.writeString(xml, """
                <domain type='qemu'>
                  <name>%s</name>
                  <uuid>%s</uuid>
                  <memory unit='MiB'>64</memory>
                  <os><type arch='x86_64'>hvm</type></os>
                  <devices>%s</devices>
                </domain>
                """.formatted(name, uuid, devices));
        domains.add(name);
        virsh("define", xml.toString());
        var ref = new DomainRef("local", UUID.fromString(uuid));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (hypervisor.domain(ref).isEmpty()) {
            assertThat(System.nanoTime()).as("listed " + name).isLessThan(deadline);
            Thread.sleep(50);
        }
        return ref;
    }
}
