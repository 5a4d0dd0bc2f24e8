package org.kvmportal.hypervisor;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A domain's snapshots: list them as libvirt records them, take, revert to and delete them. Like
 * {@link Hypervisor}, every call runs on the host's own thread with a timeout, fails with a
 * {@link HypervisorException} whose message a person understands, and checks no rights: the feature services do.
 */
public interface Snapshots {

    /** Every snapshot of the domain, parents before their children, siblings oldest first. */
    CompletableFuture<List<Snapshot>> list(DomainRef ref);

    /** Which kinds of snapshot the domain can take on its host, and why not when it cannot. */
    CompletableFuture<SnapshotSupport> support(DomainRef ref);

    /**
     * Takes a snapshot. {@link SnapshotKind#FULL} of a running domain includes its memory. When the host refuses a
     * full snapshot for a reason a disk-only one avoids (a raw disk, UEFI firmware on older libvirt), the future
     * fails with {@link FullSnapshotImpossibleException}.
     *
     * @param description kept exactly as given (empty for none)
     */
    CompletableFuture<Void> create(DomainRef ref, String name, String description, SnapshotKind kind);

    /**
     * Puts the domain back as the snapshot recorded it. A snapshot without memory leaves the domain shut off (a
     * running domain is stopped), unless {@code startAfterwards}, which boots it from the reverted disks.
     */
    CompletableFuture<Void> revert(DomainRef ref, String name, boolean startAfterwards);

    /** Deletes one snapshot; its children stay and take its parent as theirs. */
    CompletableFuture<Void> delete(DomainRef ref, String name);
}
