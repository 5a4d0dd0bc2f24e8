package org.kvmportal.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kvmportal.hypervisor.DomainRef;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** What the volume owner store must do on every supported database; H2 and PostgreSQL run it by subclassing. */
abstract class VolumeOwnersContract {

    /** A host of its own per test: the PostgreSQL database lives as long as the test run. */
    private final String host = "h-" + Long.toString(System.nanoTime(), 36);

    private final DomainRef vm = new DomainRef(host, UUID.randomUUID());

    @Autowired
    DataSource dataSource;

    private VolumeOwners owners;

    @BeforeEach
    void store() {
        owners = new VolumeOwners(JdbcClient.create(dataSource));
    }

    @Test
    void a_volume_without_a_record_is_the_admins_and_a_record_names_its_vm() {
        var disk = new VolumeId(host, "images", "web.qcow2");
        assertThat(owners.of(disk)).isEqualTo(VolumeOwner.ADMINS);

        owners.giveToVm(disk, vm, "alice");
        owners.giveToVm(disk, vm, "alice"); // again: replaces, never duplicates

        assertThat(owners.of(disk)).isEqualTo(new VolumeOwner(vm.uuid(), false));
        assertThat(owners.onHost(host)).containsOnlyKeys(disk);
        owners.forget(disk);
        assertThat(owners.of(disk)).isEqualTo(VolumeOwner.ADMINS);
    }

    @Test
    void only_the_admins_images_are_published() {
        var iso = new VolumeId(host, "images", "debian.iso");
        owners.publish(iso, true, "admin");
        assertThat(owners.of(iso)).isEqualTo(new VolumeOwner(null, true));
        owners.publish(iso, false, "admin");
        assertThat(owners.of(iso)).isEqualTo(VolumeOwner.ADMINS);

        var disk = new VolumeId(host, "images", "web.iso");
        owners.giveToVm(disk, vm, "alice");
        assertThatThrownBy(() -> owners.publish(disk, true, "admin")).isInstanceOf(IllegalStateException.class);
        assertThat(owners.of(disk).vm()).isEqualTo(vm.uuid());
    }

    @Test
    void a_deleted_vms_volumes_become_the_admins_and_a_moved_vms_disks_follow_it() {
        var root = new VolumeId(host, "images", "root.qcow2");
        var detached = new VolumeId(host, "images", "old.qcow2");
        owners.giveToVm(root, vm, "alice");
        owners.giveToVm(detached, vm, "alice");
        var target = new DomainRef(host + "-b", vm.uuid());

        owners.moveVm(vm, target, List.of(new VolumeId(target.host(), "images", "root.qcow2")));

        assertThat(owners.onHost(host)).isEmpty();
        assertThat(owners.onHost(target.host()))
                .containsExactly(java.util.Map.entry(
                        new VolumeId(target.host(), "images", "root.qcow2"), new VolumeOwner(vm.uuid(), false)));
        assertThat(owners.forgetVm(target)).isEqualTo(1);
        assertThat(owners.onHost(target.host())).isEmpty();
    }
}
