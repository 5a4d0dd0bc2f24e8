package org.kvmportal.vm;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.kvmportal.hypervisor.DomainDisk;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.DomainRemoval;
import org.kvmportal.hypervisor.EditChoices;
import org.kvmportal.storage.VolumeId;
import org.kvmportal.storage.VolumeOwner;
import org.kvmportal.storage.VolumeOwners;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Whose volumes a person may use with a VM (ADR 13), one rule for every entrance: the Hardware tab, deleting a
 * VM with its disks, clones, and whatever comes later. A volume belongs to the VM it was made for or to the
 * admins ({@link VolumeOwners}); a detached disk stays its VM's.
 *
 * <ul>
 *   <li>Admins attach, insert and copy anything; deleting a VM with its disks deletes its own volumes and the
 *       admins' (which admins may delete on the Storage page anyway), never another VM's.
 *   <li>Everyone else attaches only volumes of VMs they may manage (rights read now), never one another domain
 *       uses nor another volume's base (a template's disk, whose change would corrupt its linked clones);
 *       inserts only disc images an admin published or that belong to a VM they manage; copies a VM only when
 *       all its disks and media pass the same tests; deletes with a VM only the volumes that are its own.
 * </ul>
 *
 * Volumes another domain uses or another volume's chain needs are never deleted whoever asks (the hypervisor
 * layer's volume guard, checked again as it deletes).
 */
@Component
public class VmVolumes {

    private static final Logger log = LoggerFactory.getLogger(VmVolumes.class);

    private final VolumeOwners owners;
    private final VmAccessPolicy policy;
    private final DomainRemoval removal;

    VmVolumes(VolumeOwners owners, VmAccessPolicy policy, DomainRemoval removal) {
        this.owners = owners;
        this.policy = policy;
        this.removal = removal;
    }

    /** The owners recorded on the VM's host, read now; for the checks below. */
    Map<VolumeId, VolumeOwner> recorded(String host) {
        return owners.onHost(host);
    }

    /** The choices narrowed to the volumes and disc images this person may use on the VM. */
    static EditChoices offered(VmScope scope, DomainRef vm, Map<VolumeId, VolumeOwner> recorded, EditChoices choices) {
        if (scope.admin()) {
            return choices;
        }
        return choices.narrowed(
                (pool, volume) -> diskRefusal(scope, vm, recorded, pool.name(), volume) == null,
                (pool, volume) -> mediumRefusal(scope, vm, recorded, pool.name(), volume.name()) == null);
    }

    /** Why the person may not attach this volume to the VM as a disk; null when they may. */
    static String diskRefusal(
            VmScope scope, DomainRef vm, Map<VolumeId, VolumeOwner> recorded, String pool, EditChoices.Volume volume) {
        if (scope.admin()) {
            return null;
        }
        var owner = recorded.getOrDefault(new VolumeId(vm.host(), pool, volume.name()), VolumeOwner.ADMINS);
        if (owner.admins()) {
            return "Volume " + volume.name() + " belongs to the administrators: you may attach only volumes of"
                    + " virtual machines you manage.";
        }
        if (!scope.has(VmRight.MANAGE, new DomainRef(vm.host(), owner.vm()))) {
            return "Volume " + volume.name() + " belongs to a virtual machine you do not manage.";
        }
        if (volume.backingFile()) {
            return "Volume " + volume.name() + " is the base image of other volumes (a template's disk, say): a"
                    + " write to it would corrupt them.";
        }
        if (volume.usedBy().stream().anyMatch(other -> !other.equals(vm.uuid()))) {
            return "Volume " + volume.name() + " is a disk of another virtual machine: detach it there first.";
        }
        return null;
    }

    /** Why the person may not put this disc image into a CD-ROM drive of the VM; null when they may. */
    static String mediumRefusal(
            VmScope scope, DomainRef vm, Map<VolumeId, VolumeOwner> recorded, String pool, String image) {
        if (scope.admin()) {
            return null;
        }
        var owner = recorded.getOrDefault(new VolumeId(vm.host(), pool, image), VolumeOwner.ADMINS);
        if (owner.published() || !owner.admins() && scope.has(VmRight.MANAGE, new DomainRef(vm.host(), owner.vm()))) {
            return null;
        }
        return "Disc image " + image + " is not published for self-service: ask an administrator to publish it.";
    }

    /**
     * Why each disk stays when the VM is deleted "with its disks", by ownership alone; null when the disk may go
     * (if nothing else needs it, which the hypervisor layer checks as it deletes). Decides from what it is given:
     * it runs on the host's thread.
     */
    static Function<DomainDisk, String> keptWhenDeleting(
            VmScope scope, DomainRef vm, Map<VolumeId, VolumeOwner> recorded) {
        return disk -> {
            if (disk.pool().isEmpty()) {
                return null; // not a pool volume: the hypervisor layer keeps it and says so
            }
            var owner = recorded.getOrDefault(new VolumeId(vm.host(), disk.pool(), disk.volume()), VolumeOwner.ADMINS);
            if (vm.uuid().equals(owner.vm()) || owner.admins() && scope.admin()) {
                return null;
            }
            return owner.admins()
                    ? "it belongs to the administrators, not to this VM"
                    : "it belongs to another VM, not to this one";
        };
    }

    /**
     * Why the person may not copy this VM (clone it) into a new VM of theirs; null when they may. Admins copy
     * anything; others only VMs whose every disk is a volume of a VM they manage and whose every medium they
     * may insert, as a copy reads them all (and shares its media and read-only disks with the original).
     */
    public CompletableFuture<String> copyRefusal(String username, DomainRef source) {
        var scope = policy.scope(username);
        if (scope.admin()) {
            return CompletableFuture.completedFuture(null);
        }
        var recorded = recorded(source.host());
        return removal.disks(source).thenApply(disks -> {
            for (var disk : disks) {
                String refusal = copyRefusal(scope, source, recorded, disk);
                if (refusal != null) {
                    return refusal;
                }
            }
            return null;
        });
    }

    private static String copyRefusal(
            VmScope scope, DomainRef source, Map<VolumeId, VolumeOwner> recorded, DomainDisk disk) {
        if (disk.pool().isEmpty()) {
            return "Disk " + disk.target() + " is not a volume of a storage pool: only an administrator may copy it.";
        }
        if (disk.device().equals("cdrom")) {
            return mediumRefusal(scope, source, recorded, disk.pool(), disk.volume());
        }
        var owner = recorded.getOrDefault(new VolumeId(source.host(), disk.pool(), disk.volume()), VolumeOwner.ADMINS);
        if (owner.admins() || !scope.has(VmRight.MANAGE, new DomainRef(source.host(), owner.vm()))) {
            return "Disk " + disk.target() + " (volume " + disk.volume() + ") does not belong to a virtual machine"
                    + " you manage: only an administrator may copy it.";
        }
        return null;
    }

    /** Records volumes made for a new VM ({@code pool/volume} each) as its own. */
    public void madeFor(DomainRef vm, List<String> volumes, String by) {
        for (String volume : volumes) {
            int slash = volume.indexOf('/');
            owners.giveToVm(new VolumeId(vm.host(), volume.substring(0, slash), volume.substring(slash + 1)), vm, by);
        }
    }

    /** The VM was deleted: whatever of its volumes remains becomes the admins'. */
    void forget(DomainRef vm) {
        owners.forgetVm(vm);
    }

    /**
     * The VM moved to another host: the records of its disks that arrived there under the same pool and volume
     * names follow it; the rest becomes the admins'. A failure is logged and reported, never fails the move.
     *
     * @return "" when done, else what went wrong, for the audit entry
     */
    CompletableFuture<String> follow(DomainRef from, DomainRef to) {
        return removal.disks(to)
                .thenApply(disks -> {
                    owners.moveVm(
                            from,
                            to,
                            disks.stream()
                                    .filter(disk -> !disk.pool().isEmpty())
                                    .map(disk -> new VolumeId(to.host(), disk.pool(), disk.volume()))
                                    .toList());
                    return "";
                })
                .exceptionally(error -> {
                    log.error("{} moved to {}, but the ownership of its volumes did not follow", from, to, error);
                    return "; the ownership of its volumes could not be carried over (" + error.getMessage()
                            + "): they count as the administrators' on host " + to.host();
                });
    }
}
