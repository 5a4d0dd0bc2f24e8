package org.kvmportal.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kvmportal.testing.SignedIn.as;
import static org.kvmportal.testing.StorageTestHost.POOL;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmportal.base.Failures;
import org.kvmportal.hypervisor.DomainDisk;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.EditChoices;
import org.kvmportal.hypervisor.Hypervisor;
import org.kvmportal.hypervisor.NewVolume;
import org.kvmportal.hypervisor.StoragePools;
import org.kvmportal.hypervisor.VolumeFormat;
import org.kvmportal.provisioning.CloneRequest;
import org.kvmportal.provisioning.ProvisioningInputException;
import org.kvmportal.provisioning.ProvisioningService;
import org.kvmportal.storage.StorageInputException;
import org.kvmportal.storage.StorageService;
import org.kvmportal.storage.VolumeId;
import org.kvmportal.storage.VolumeOwners;
import org.kvmportal.testing.SimulatedHost;
import org.kvmportal.testing.StorageTestHost;
import org.kvmportal.testing.TestAccounts;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Who may use which volume (ADR 13), fast, on the simulated host of storage/host.xml: kp-kept is the manager's
 * VM (its disk kept.qcow2), kp-user runs with used.qcow2, which shut-off kp-gone uses too, and install.iso is in
 * both their CD-ROM drives. The real-host table is {@code VolumeOwnershipIT}.
 */
@SpringBootTest
class VolumeOwnershipTest {

    private static final DomainRef USER_VM = ref("6b0c2c4e-8f7a-4e0b-9d7e-000000000001");
    private static final DomainRef GONE = ref("6b0c2c4e-8f7a-4e0b-9d7e-000000000002");
    private static final DomainRef KEPT = ref("6b0c2c4e-8f7a-4e0b-9d7e-000000000003");
    private static final String MANAGER = "own-manager";

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void simulatedHost(DynamicPropertyRegistry registry) {
        StorageTestHost.register(registry, dir);
    }

    @Autowired
    VmEditing editing;

    @Autowired
    VmRemoval removal;

    @Autowired
    ProvisioningService provisioning;

    @Autowired
    StorageService storageService;

    @Autowired
    StoragePools storage;

    @Autowired
    VolumeOwners owners;

    @Autowired
    Hypervisor hypervisor;

    @Autowired
    JdbcClient jdbc;

    private String spare;

    @BeforeEach
    void managerOfKept() throws InterruptedException {
        SimulatedHost.awaitListed(hypervisor, 1); // some tests delete VMs
        var accounts = new TestAccounts(jdbc);
        accounts.user("own-admin", "ADMIN");
        accounts.user(MANAGER, "USER");
        grant(KEPT, MANAGER, "MANAGE");
        // A free volume of the manager's VM (as a detached disk would be), beside the host's own volumes.
        spare = "spare-" + UUID.randomUUID().toString().substring(0, 8) + ".qcow2";
        storage.createVolume("sim", POOL, new NewVolume(spare, VolumeFormat.QCOW2, 1L << 30))
                .join();
        owners.giveToVm(new VolumeId("sim", POOL, spare), KEPT, "test");
    }

    @Test
    void a_manager_is_offered_only_their_vms_unused_volumes_and_published_images() {
        // used.qcow2 is recorded as kp-kept's too, but other VMs use it: not offered all the same.
        owners.giveToVm(new VolumeId("sim", POOL, "used.qcow2"), KEPT, "test");

        var offered = as(MANAGER, "USER", () -> editing.choices(KEPT).join());
        var all = as("own-admin", "ADMIN", () -> editing.choices(KEPT).join());

        // Other tests' spares are kp-kept's too; the host's own volumes are the admins' or used elsewhere.
        assertThat(names(offered.pool(POOL).orElseThrow().volumes()))
                .contains(spare)
                .allMatch(name -> name.startsWith("spare-"));
        assertThat(offered.pool(POOL).orElseThrow().media()).isEmpty();
        assertThat(names(all.pool(POOL).orElseThrow().volumes()))
                .contains(spare, "used.qcow2", "kept.qcow2", "install.iso");

        as(
                "own-admin",
                "ADMIN",
                () -> storageService.publish("sim", POOL, "install.iso", true).join());
        var afterPublishing = as(MANAGER, "USER", () -> editing.choices(KEPT).join());
        assertThat(names(afterPublishing.pool(POOL).orElseThrow().media())).containsExactly("install.iso");
        assertThat(names(afterPublishing.pool(POOL).orElseThrow().volumes()))
                .as("a published image goes into CD-ROM drives only")
                .doesNotContain("install.iso");
        as(
                "own-admin",
                "ADMIN",
                () -> storageService.publish("sim", POOL, "install.iso", false).join());
    }

    @Test
    void attaching_another_vms_or_the_admins_volume_is_refused_by_type_and_changes_nothing() {
        // Another VM's free volume, one other VMs use, and the admins' disc image.
        String others = "others-" + UUID.randomUUID().toString().substring(0, 8) + ".qcow2";
        storage.createVolume("sim", POOL, new NewVolume(others, VolumeFormat.QCOW2, 1L << 30))
                .join();
        owners.giveToVm(new VolumeId("sim", POOL, others), USER_VM, "test");
        var before = as("own-admin", "ADMIN", () -> editing.hardware(KEPT).join());

        for (String volume : List.of(others, "used.qcow2", "install.iso")) {
            assertThatThrownBy(() -> as(
                            MANAGER,
                            "USER",
                            () -> editing.attachDisk(KEPT, POOL, volume, "virtio")
                                    .join()))
                    .as(volume)
                    .isInstanceOf(CompletionException.class)
                    .cause()
                    .isInstanceOf(VolumeRefusedException.class);
        }
        assertThat(as("own-admin", "ADMIN", () -> editing.hardware(KEPT).join()).disks())
                .isEqualTo(before.disks());
        assertThat(jdbc.sql("""
                                select detail from audit_event
                                where username = :user and action = 'VM_DISK_ATTACH' and result = 'REFUSED'
                                """).param("user", MANAGER).query(String.class).list())
                .as("each refusal is audited")
                .anyMatch(detail -> detail.contains(others))
                .anyMatch(detail -> detail.contains("used.qcow2"));

        as(
                MANAGER,
                "USER",
                () -> editing.attachDisk(KEPT, POOL, spare, "virtio").join());
        assertThat(as("own-admin", "ADMIN", () -> editing.hardware(KEPT).join()).disks())
                .hasSize(before.disks().size() + 1);
    }

    @Test
    void a_manager_inserts_only_published_images() {
        as("own-admin", "ADMIN", () -> editing.addCdrom(KEPT, "ide").join());
        String drive = as("own-admin", "ADMIN", () -> editing.hardware(KEPT).join()).disks().stream()
                .filter(disk -> disk.isCdrom())
                .findFirst()
                .orElseThrow()
                .target();

        assertThatThrownBy(() -> as(
                        MANAGER,
                        "USER",
                        () -> editing.insertMedia(KEPT, drive, POOL, "install.iso")
                                .join()))
                .cause()
                .isInstanceOf(VolumeRefusedException.class)
                .hasMessageContaining("not published");

        as(
                "own-admin",
                "ADMIN",
                () -> storageService.publish("sim", POOL, "install.iso", true).join());
        as(
                MANAGER,
                "USER",
                () -> editing.insertMedia(KEPT, drive, POOL, "install.iso").join());
        as(
                "own-admin",
                "ADMIN",
                () -> storageService.publish("sim", POOL, "install.iso", false).join());
    }

    @Test
    void a_new_disk_belongs_to_its_vm() {
        String made = "made-" + UUID.randomUUID().toString().substring(0, 8) + ".qcow2";

        as(
                MANAGER,
                "USER",
                () -> editing.addNewDisk(KEPT, POOL, made, 1L, "qcow2", "virtio")
                        .join());

        assertThat(owners.of(new VolumeId("sim", POOL, made)).vm()).isEqualTo(KEPT.uuid());
    }

    @Test
    void the_xml_editor_is_for_admins_only_at_the_service() {
        assertThatThrownBy(() -> as(MANAGER, "USER", () -> editing.xmlForEditing(KEPT)))
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> as(MANAGER, "USER", () -> editing.defineXml(KEPT, "<domain/>")))
                .isInstanceOf(AccessDeniedException.class);
    }

    @Test
    void a_manager_clones_only_vms_whose_disks_are_their_vms_own() {
        // kp-kept's disk is the admins' (older than the record): a copy would hand the user its data.
        var request = new CloneRequest(
                null, KEPT, "kept-copy-" + UUID.randomUUID().toString().substring(0, 6), "", false);
        assertThatThrownBy(() ->
                        as(MANAGER, "USER", () -> provisioning.cloneVm(request).join()))
                .satisfies(error -> assertThat(Failures.causeOf(error))
                        .isInstanceOf(ProvisioningInputException.class)
                        .hasMessageContaining("only an administrator may copy it"));
        assertThat(hypervisor.domains()).noneMatch(vm -> vm.name().equals(request.name()));
    }

    @Test
    void deleting_with_disks_deletes_for_a_manager_only_the_vms_own_volumes() {
        grant(GONE, MANAGER, "MANAGE");

        var disks = as(MANAGER, "USER", () -> removal.disks(GONE).join());
        assertThat(disks.getFirst().protections()).containsExactly("it belongs to the administrators, not to this VM");

        owners.giveToVm(new VolumeId("sim", POOL, "own.qcow2"), GONE, "test");
        var outcome = as(MANAGER, "USER", () -> removal.delete(GONE, true).join());

        assertThat(outcome.removed()).containsExactly("/kp-pool/own.qcow2");
        assertThat(outcome.kept()).extracting(DomainDisk::target).containsExactly("vdb", "vdc", "hdc");
        assertThat(owners.onHost("sim").values()).noneMatch(owner -> GONE.uuid().equals(owner.vm()));
    }

    @Test
    void only_the_admins_disc_images_are_published() {
        var refusal = as(
                "own-admin",
                "ADMIN",
                () -> Failures.causeOf(catching(
                        () -> storageService.publish("sim", POOL, spare, true).join())));
        assertThat(refusal).isInstanceOf(StorageInputException.class).hasMessageContaining(".iso");
        assertThat(owners.of(new VolumeId("sim", POOL, spare)).vm()).isEqualTo(KEPT.uuid());
        assertThatThrownBy(() -> as(MANAGER, "USER", () -> storageService.publish("sim", POOL, "install.iso", true)))
                .isInstanceOf(AccessDeniedException.class);
    }

    @Test
    void the_records_of_a_moved_vms_disks_follow_it() {
        var from = new DomainRef("old-host", UUID.randomUUID());
        var to = new DomainRef("new-host", from.uuid());
        owners.giveToVm(new VolumeId("old-host", "images", "root.qcow2"), from, "test");
        owners.giveToVm(new VolumeId("old-host", "images", "detached.qcow2"), from, "test");

        owners.moveVm(from, to, List.of(new VolumeId("new-host", "images", "root.qcow2")));

        assertThat(owners.of(new VolumeId("new-host", "images", "root.qcow2")).vm())
                .isEqualTo(from.uuid());
        assertThat(owners.of(new VolumeId("old-host", "images", "root.qcow2")).admins())
                .isTrue();
        assertThat(owners.of(new VolumeId("old-host", "images", "detached.qcow2"))
                        .admins())
                .as("what stayed behind is the admins'")
                .isTrue();
        assertThat(owners.of(new VolumeId("new-host", "images", "detached.qcow2"))
                        .admins())
                .isTrue();
    }

    private static Throwable catching(Runnable call) {
        try {
            call.run();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    private static List<String> names(List<EditChoices.Volume> volumes) {
        return volumes.stream().map(EditChoices.Volume::name).toList();
    }

    private void grant(DomainRef vm, String username, String level) {
        jdbc.sql("delete from vm_user_grant where host = :host and vm_uuid = :uuid")
                .param("host", vm.host())
                .param("uuid", vm.uuid())
                .update();
        jdbc.sql("""
                        insert into vm_user_grant (host, vm_uuid, user_id, level, granted_by, granted_at)
                        select :host, :uuid, id, :level, 'test', :now from app_user where username = :name
                        """)
                .param("host", vm.host())
                .param("uuid", vm.uuid())
                .param("level", level)
                .param("now", OffsetDateTime.now())
                .param("name", username)
                .update();
    }

    private static DomainRef ref(String uuid) {
        return new DomainRef("sim", UUID.fromString(uuid));
    }
}
