package org.kvmportal.storage;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.kvmportal.hypervisor.DomainRef;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The record of who owns which volume ({@code volume_owner}, ADR 13): a VM, or the admins, which is also what
 * a volume without a row is. Stores only; who may do what with a volume is decided by the services that ask
 * (VM editing and removal, provisioning, the Storage page). A volume the portal deletes loses its row, and so
 * does every volume of a VM that is deleted, so that a volume made later under the same name, or a VM defined
 * later with the same UUID, inherits nothing.
 */
@Component
public class VolumeOwners {

    private final JdbcClient jdbc;
    private final Clock clock = Clock.systemUTC();

    VolumeOwners(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(readOnly = true)
    public VolumeOwner of(VolumeId volume) {
        return jdbc.sql("""
                        select vm_uuid, published from volume_owner
                        where host = :host and pool = :pool and volume = :volume
                        """)
                .param("host", volume.host())
                .param("pool", volume.pool())
                .param("volume", volume.volume())
                .query((rs, row) -> new VolumeOwner(rs.getObject("vm_uuid", UUID.class), rs.getBoolean("published")))
                .optional()
                .orElse(VolumeOwner.ADMINS);
    }

    /** Every recorded volume of the host; any other volume is the admins' (and not published). */
    @Transactional(readOnly = true)
    public Map<VolumeId, VolumeOwner> onHost(String host) {
        var owners = new HashMap<VolumeId, VolumeOwner>();
        jdbc.sql("select pool, volume, vm_uuid, published from volume_owner where host = :host")
                .param("host", host)
                .query((rs, row) -> owners.put(
                        new VolumeId(host, rs.getString("pool"), rs.getString("volume")),
                        new VolumeOwner(rs.getObject("vm_uuid", UUID.class), rs.getBoolean("published"))))
                .list();
        return owners;
    }

    /** Records that the volume was made for this VM (replacing whatever a deleted namesake left). */
    @Transactional
    public void giveToVm(VolumeId volume, DomainRef vm, String by) {
        if (!volume.host().equals(vm.host())) {
            throw new IllegalArgumentException(volume + " is not on the host of " + vm);
        }
        write(volume, vm.uuid(), false, by);
    }

    /** Publishes an admins' disc image for everyone's CD-ROM drives, or withdraws it. */
    @Transactional
    public void publish(VolumeId volume, boolean published, String by) {
        if (!of(volume).admins()) {
            throw new IllegalStateException(volume + " belongs to a VM");
        }
        if (published) {
            write(volume, null, true, by);
        } else {
            forget(volume);
        }
    }

    /** The volume is the admins' (again): after they make one, or after it is deleted. */
    @Transactional
    public void forget(VolumeId volume) {
        jdbc.sql("delete from volume_owner where host = :host and pool = :pool and volume = :volume")
                .param("host", volume.host())
                .param("pool", volume.pool())
                .param("volume", volume.volume())
                .update();
    }

    /** The VM is gone: the volumes it kept become the admins'. Returns how many it had. */
    @Transactional
    public int forgetVm(DomainRef vm) {
        return jdbc.sql("delete from volume_owner where host = :host and vm_uuid = :uuid")
                .param("host", vm.host())
                .param("uuid", vm.uuid())
                .update();
    }

    /**
     * The VM moved to another host, where its disks are {@code disks} (named as that host names them). The
     * records of those of its volumes that kept their pool and name move with it; whatever it owned that did
     * not come along (a detached volume, the source's copy of a copied disk) stays on the old host and becomes
     * the admins'.
     */
    @Transactional
    public void moveVm(DomainRef from, DomainRef to, Collection<VolumeId> disks) {
        var owned = onHost(from.host()).entrySet().stream()
                .filter(entry -> from.uuid().equals(entry.getValue().vm()))
                .map(entry -> entry.getKey())
                .toList();
        forgetVm(from);
        for (var disk : disks) {
            if (disk.host().equals(to.host())
                    && owned.contains(new VolumeId(from.host(), disk.pool(), disk.volume()))) {
                write(disk, to.uuid(), false, "migration");
            }
        }
    }

    private void write(VolumeId volume, UUID vm, boolean published, String by) {
        forget(volume);
        jdbc.sql("""
                        insert into volume_owner (host, pool, volume, vm_uuid, published, recorded_by, recorded_at)
                        values (:host, :pool, :volume, :vm, :published, :by, :at)
                        """)
                .param("host", volume.host())
                .param("pool", volume.pool())
                .param("volume", volume.volume())
                .param("vm", vm)
                .param("published", published)
                .param("by", by)
                .param("at", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .update();
    }
}
