package org.kvmportal.hypervisor;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Deleting domains, with or without their disks. A disk that another domain uses, or that is another
 * volume's backing file, or that is not a storage pool volume, or that is a CD-ROM's medium, is never
 * deleted; the check is made again inside the deleting call. Checks no rights: the VM services do.
 */
public interface DomainRemoval {

    /** The domain's disks, each saying whether it could be deleted with the domain now, and if not, why. */
    CompletableFuture<List<DomainDisk>> disks(DomainRef ref);

    /**
     * Undefines the shut-off domain (with its snapshot metadata, managed save image and NVRAM) and, when
     * {@code removeDisks}, deletes those of its disks that nothing else depends on. A running or paused
     * domain is refused.
     */
    CompletableFuture<DomainRemovalOutcome> remove(DomainRef ref, boolean removeDisks);
}
