package org.kvmportal.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kvmportal.testing.StorageTestHost.POOL;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmportal.audit.AuditLog;
import org.kvmportal.audit.AuditQuery;
import org.kvmportal.hypervisor.Hypervisor;
import org.kvmportal.hypervisor.NewVolume;
import org.kvmportal.hypervisor.StoragePools;
import org.kvmportal.hypervisor.StorageVolume;
import org.kvmportal.hypervisor.VolumeFormat;
import org.kvmportal.hypervisor.VolumeInUseException;
import org.kvmportal.testing.SimulatedHost;
import org.kvmportal.testing.StorageTestHost;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Pools and volumes on a simulated host (libvirt's test driver), with the volume guard. */
@SpringBootTest
@WithMockUser(username = "storage-admin", roles = "ADMIN")
class StorageServiceTest {

    private static final long GIB = 1024L * 1024 * 1024;

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void simulatedHost(DynamicPropertyRegistry registry) {
        StorageTestHost.register(registry, dir);
    }

    @Autowired
    StorageService storage;

    @Autowired
    StoragePools pools;

    @Autowired
    Hypervisor hypervisor;

    @Autowired
    AuditLog audit;

    @BeforeEach
    void connected() throws InterruptedException {
        SimulatedHost.awaitListed(hypervisor, 3);
    }

    @Test
    void pools_are_listed_with_capacity_and_free_space() {
        assertThat(storage.hosts()).containsExactly("sim");
        assertThat(storage.pools("sim").join()).singleElement().satisfies(pool -> {
            assertThat(pool.name()).isEqualTo(POOL);
            assertThat(pool.type()).isEqualTo("dir");
            assertThat(pool.path()).isEqualTo("/kp-pool");
            assertThat(pool.active()).isTrue();
            // The test driver makes up its pools' sizes: 100 GiB, less what its volumes take.
            assertThat(pool.capacityBytes()).isEqualTo(100 * GIB);
            assertThat(pool.allocationBytes()).isPositive();
            assertThat(pool.availableBytes()).isEqualTo(pool.capacityBytes() - pool.allocationBytes());
        });
    }

    @Test
    void a_volume_is_created_listed_and_deleted() {
        var created = storage.createVolume("sim", POOL, "kp-new.qcow2", VolumeFormat.QCOW2, 2L)
                .join();

        assertThat(created.path()).isEqualTo("/kp-pool/kp-new.qcow2");
        assertThat(volume("kp-new.qcow2")).satisfies(volume -> {
            assertThat(volume.format()).isEqualTo("qcow2");
            assertThat(volume.capacityBytes()).isEqualTo(2 * GIB);
            assertThat(volume.deletable()).isTrue();
        });

        storage.deleteVolume("sim", POOL, "kp-new.qcow2").join();

        assertThat(names()).doesNotContain("kp-new.qcow2");
        assertThat(audited("VOLUME_CREATE")).contains("SUCCESS");
        assertThat(audited("VOLUME_DELETE")).contains("SUCCESS");
    }

    @Test
    void a_volume_only_grows() {
        storage.createVolume("sim", POOL, "kp-grow.qcow2", VolumeFormat.QCOW2, 2L)
                .join();

        assertThatThrownBy(() ->
                        storage.resizeVolume("sim", POOL, "kp-grow.qcow2", 1L).join())
                .hasMessageContaining("a volume only grows here");
        assertThat(volume("kp-grow.qcow2").capacityBytes()).isEqualTo(2 * GIB);
        storage.deleteVolume("sim", POOL, "kp-grow.qcow2").join();
    }

    @Test
    void a_disk_a_vm_uses_is_never_deleted() {
        assertThat(volume("used.qcow2").protections())
                .containsExactlyInAnyOrder("it is a disk of VM kp-user", "it is a disk of VM kp-gone");
        assertThat(volume("install.iso").protections()).contains("it is a disk of VM kp-user");

        assertThatThrownBy(() -> storage.deleteVolume("sim", POOL, "used.qcow2").join())
                .cause()
                .isInstanceOf(VolumeInUseException.class)
                .hasMessageStartingWith("Volume kp-pool/used.qcow2 is kept: ")
                .hasMessageContaining("it is a disk of VM kp-user");

        assertThat(names()).contains("used.qcow2");
        assertThat(audited("VOLUME_DELETE")).contains("REFUSED");
    }

    @Test
    void a_backing_file_is_never_deleted_while_a_volume_is_backed_by_it() {
        storage.createVolume("sim", POOL, "kp-base.qcow2", VolumeFormat.QCOW2, 1L)
                .join();
        pools.createVolume("sim", POOL, new NewVolume("kp-overlay.qcow2", VolumeFormat.QCOW2, GIB, "kp-base.qcow2"))
                .join();

        assertThat(volume("kp-overlay.qcow2").backingPath()).isEqualTo("/kp-pool/kp-base.qcow2");
        assertThat(volume("kp-base.qcow2").protections())
                .containsExactly("it is the backing file of volume kp-pool/kp-overlay.qcow2");
        assertThatThrownBy(
                        () -> storage.deleteVolume("sim", POOL, "kp-base.qcow2").join())
                .cause()
                .isInstanceOf(VolumeInUseException.class)
                .hasMessageContaining("backing file of volume kp-pool/kp-overlay.qcow2");
        assertThat(names()).contains("kp-base.qcow2");

        // Once nothing is backed by it, it may go.
        storage.deleteVolume("sim", POOL, "kp-overlay.qcow2").join();
        storage.deleteVolume("sim", POOL, "kp-base.qcow2").join();
        assertThat(names()).doesNotContain("kp-base.qcow2", "kp-overlay.qcow2");
    }

    @Test
    void bad_input_is_refused_field_by_field_and_nothing_changes() {
        var before = names();

        assertRefused("name", () -> storage.createVolume("sim", POOL, "", VolumeFormat.QCOW2, 1L));
        assertRefused("name", () -> storage.createVolume("sim", POOL, "../etc/x.qcow2", VolumeFormat.QCOW2, 1L));
        assertRefused("name", () -> storage.createVolume("sim", POOL, ".hidden.qcow2", VolumeFormat.QCOW2, 1L));
        assertRefused("name", () -> storage.createVolume("sim", POOL, "disk.img", VolumeFormat.QCOW2, 1L));
        assertRefused("name", () -> storage.createVolume("sim", POOL, "used.qcow2", VolumeFormat.QCOW2, 1L));
        assertRefused("format", () -> storage.createVolume("sim", POOL, "ok.qcow2", null, 1L));
        assertRefused("size", () -> storage.createVolume("sim", POOL, "ok.qcow2", VolumeFormat.QCOW2, 0L));
        assertRefused("size", () -> storage.createVolume("sim", POOL, "ok.qcow2", VolumeFormat.QCOW2, null));
        assertRefused("size", () -> storage.createVolume("sim", POOL, "ok.qcow2", VolumeFormat.QCOW2, 1L << 20));
        assertRefused("host", () -> storage.createVolume("elsewhere", POOL, "ok.qcow2", VolumeFormat.QCOW2, 1L));
        assertRefused("pool", () -> storage.createVolume("sim", "a/b", "ok.qcow2", VolumeFormat.QCOW2, 1L));
        assertRefused("size", () -> storage.resizeVolume("sim", POOL, "used.qcow2", -1L));
        assertRefused("volume", () -> storage.deleteVolume("sim", POOL, "../used.qcow2"));

        assertThat(names()).isEqualTo(before);
    }

    @Test
    void an_upload_with_a_bad_file_name_or_size_is_refused_before_anything_is_created() {
        var before = names();
        var data = new ByteArrayInputStream(new byte[16]);

        assertThatThrownBy(() -> storage.uploadIso("sim", POOL, "my disk.iso", 16, data, sent -> {}))
                .isInstanceOfSatisfying(
                        StorageInputException.class, e -> assertThat(e.field()).isEqualTo("file"));
        assertThatThrownBy(() -> storage.uploadIso("sim", POOL, "setup.exe", 16, data, sent -> {}))
                .hasMessageContaining("Only ISO images (.iso)");
        long free = storage.pools("sim").join().getFirst().availableBytes();
        assertThatThrownBy(() -> storage.uploadIso("sim", POOL, "big.iso", free + 1, data, sent -> {}))
                .hasMessageContaining("larger than the free space of storage pool kp-pool");
        assertThatThrownBy(() -> storage.uploadIso("sim", POOL, "install.iso", 16, data, sent -> {}))
                .hasMessageContaining("already has a volume named install.iso");

        assertThat(names()).isEqualTo(before);
    }

    @Test
    @WithMockUser(username = "storage-helpdesk", roles = "HELPDESK")
    void only_admins_see_or_change_storage() {
        assertThatThrownBy(() -> storage.pools("sim")).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> storage.deleteVolume("sim", POOL, "own.qcow2"))
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() ->
                        storage.uploadIso("sim", POOL, "x.iso", 1, new ByteArrayInputStream(new byte[1]), s -> {}))
                .isInstanceOf(AccessDeniedException.class);
    }

    private void assertRefused(String field, Supplier<java.util.concurrent.CompletableFuture<?>> call) {
        assertThatThrownBy(() -> call.get().join())
                .cause()
                .isInstanceOfSatisfying(
                        StorageInputException.class,
                        e -> assertThat(e.field()).as(e.getMessage()).isEqualTo(field));
    }

    private StorageVolume volume(String name) {
        return storage.volumes("sim", POOL).join().stream()
                .filter(volume -> volume.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private List<String> names() {
        return storage.volumes("sim", POOL).join().stream()
                .map(StorageVolume::name)
                .toList();
    }

    private List<String> audited(String action) {
        return audit.search(AuditQuery.ALL.withActions(action), 0, 100).stream()
                .map(entry -> entry.result())
                .toList();
    }
}
