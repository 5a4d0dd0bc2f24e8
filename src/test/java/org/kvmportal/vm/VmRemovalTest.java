package org.kvmportal.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kvmportal.testing.StorageTestHost.POOL;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmportal.hypervisor.DomainDisk;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.Hypervisor;
import org.kvmportal.hypervisor.StoragePools;
import org.kvmportal.hypervisor.StorageVolume;
import org.kvmportal.testing.SimulatedHost;
import org.kvmportal.testing.StorageTestHost;
import org.kvmportal.testing.TestAccounts;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Deleting VMs on a simulated host whose disks are used in every way the guard knows (see storage/host.xml):
 * kp-gone's own disk may go, its disk shared with kp-user, its CD-ROM medium and its file outside any pool
 * may not.
 */
@SpringBootTest
@WithMockUser(username = "removal-admin", roles = "ADMIN")
class VmRemovalTest {

    private static final DomainRef USER_VM = ref("6b0c2c4e-8f7a-4e0b-9d7e-000000000001");
    private static final DomainRef GONE = ref("6b0c2c4e-8f7a-4e0b-9d7e-000000000002");
    private static final DomainRef KEPT = ref("6b0c2c4e-8f7a-4e0b-9d7e-000000000003");

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void simulatedHost(DynamicPropertyRegistry registry) {
        StorageTestHost.register(registry, dir);
    }

    @Autowired
    VmRemoval removal;

    @Autowired
    StoragePools storage;

    @Autowired
    Hypervisor hypervisor;

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void connected() throws InterruptedException {
        SimulatedHost.awaitListed(hypervisor, 1); // some tests delete VMs
        var accounts = new TestAccounts(jdbc);
        accounts.user("removal-admin", "ADMIN");
        accounts.user("removal-operator", "USER");
    }

    @Test
    void the_disks_say_which_would_be_deleted_and_why_the_others_are_kept() {
        var disks = removal.disks(GONE).join();

        assertThat(disks).extracting(DomainDisk::target).containsExactly("vda", "vdb", "vdc", "hdc");
        assertThat(disks.get(0).deletable()).isTrue();
        assertThat(disks.get(0).pool()).isEqualTo(POOL);
        assertThat(disks.get(1).protections()).containsExactly("it is a disk of VM kp-user");
        assertThat(disks.get(2).protections())
                .containsExactly("it is not a volume of an active storage pool (only pool volumes are deleted here)");
        assertThat(disks.get(3).protections())
                .contains("it is the medium of a cdrom drive (installation media are shared)");
    }

    @Test
    void deleting_with_disks_removes_only_the_disks_nothing_else_needs() {
        grant(GONE, "removal-operator", "OPERATE");

        var outcome = removal.delete(GONE, true).join();

        assertThat(outcome.removed()).containsExactly("/kp-pool/own.qcow2");
        assertThat(outcome.kept())
                .extracting(DomainDisk::path)
                .containsExactly("/kp-pool/used.qcow2", "/elsewhere/data.img", "/kp-pool/install.iso");
        assertThat(hypervisor.domain(GONE)).isEmpty();
        assertThat(volumes()).doesNotContain("own.qcow2").contains("used.qcow2", "install.iso");
        assertThat(jdbc.sql("select count(*) from vm_user_grant where vm_uuid = :uuid")
                        .param("uuid", GONE.uuid())
                        .query(Integer.class)
                        .single())
                .isZero();
    }

    @Test
    void deleting_without_disks_keeps_every_disk() {
        var outcome = removal.delete(KEPT, false).join();

        assertThat(outcome.removed()).isEmpty();
        assertThat(outcome.kept())
                .singleElement()
                .satisfies(disk -> assertThat(disk.protections()).containsExactly("you chose to keep the disks"));
        assertThat(hypervisor.domain(KEPT)).isEmpty();
        assertThat(volumes()).contains("kept.qcow2");
    }

    @Test
    void a_running_vm_is_refused_with_a_clear_message() {
        assertThatThrownBy(() -> removal.delete(USER_VM, true).join())
                .cause()
                .isInstanceOf(VmActionException.class)
                .hasMessage("kp-user is running: shut it down or force it off before deleting it.");
        assertThat(hypervisor.domain(USER_VM)).isPresent();
    }

    @Test
    @WithMockUser(username = "removal-operator", roles = "USER")
    void operating_a_vm_is_not_enough_to_delete_it() {
        grant(USER_VM, "removal-operator", "OPERATE");

        assertThat(removal.mayDelete(USER_VM)).isFalse();
        assertThatThrownBy(() -> removal.delete(USER_VM, true).join())
                .cause()
                .hasMessage("You may not delete kp-user.");
        assertThat(hypervisor.domain(USER_VM)).isPresent();
    }

    private void grant(DomainRef vm, String username, String level) {
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

    private java.util.List<String> volumes() {
        return storage.volumes("sim", POOL).join().stream()
                .map(StorageVolume::name)
                .toList();
    }

    private static DomainRef ref(String uuid) {
        return new DomainRef("sim", UUID.fromString(uuid));
    }
}
