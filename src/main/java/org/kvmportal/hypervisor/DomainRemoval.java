package org.kvmportal.hypervisor;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Deleting domains, with or without their disks. A disk that another domain uses, or that is another
 * volume's backing file, or that is not a storage pool volume, or that is a CD-ROM's medium, is never
 * deleted; the check is made again inside the deleting call. Checks no rights: the VM services do.
 */
public interface DomainRemoval {

    /** The domain's disks, each saying whether it could be deleted with the domain now, and if not, why. */
    CompletableFuture<List<DomainDisk>> disks(DomainRef ref);

    /**
     * Undefines the shut-off domain (with its snapshot metadata, managed save image and NVRAM) and deletes those
     * of its disks that nothing else depends on and that {@code keep} does not keep. A running or paused domain
     * is refused.
     *
     * @param keep why the caller keeps a disk whatever depends on it (the person chose to keep the disks, it is
     *     not the domain's own), or null to delete it when nothing else needs it; called on the host's thread,
     *     so it must decide from what it holds, without waiting for anything
     */
    CompletableFuture<DomainRemovalOutcome> remove(DomainRef ref, Function<DomainDisk, String> keep);
}
