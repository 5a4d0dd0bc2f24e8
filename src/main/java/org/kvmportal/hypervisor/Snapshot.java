package org.kvmportal.hypervisor;

import java.time.Instant;
import java.util.Objects;

/**
 * One snapshot of a domain, as libvirt records it.
 *
 * @param description as it was given, empty for none
 * @param created when it was taken (to the second), or null when libvirt recorded no time
 * @param state the domain's state when the snapshot was taken
 * @param parent the snapshot this one was taken on top of, or null for a root
 * @param memory whether it holds the guest's memory, so that reverting resumes the running programs
 * @param current whether it is libvirt's current snapshot: the one the domain last was reverted to or taken
 * @param external whether it keeps the disks in overlay files beside them (a disk-only, external snapshot)
 *     rather than inside the disk images
 */
public record Snapshot(
        String name,
        String description,
        Instant created,
        SnapshotState state,
        String parent,
        boolean memory,
        boolean current,
        boolean external) {

    public Snapshot {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
    }
}
