package org.kvmportal.hypervisor;

/** What a new snapshot keeps, and where. */
public enum SnapshotKind {
    /**
     * Inside the disk images (an internal snapshot): the disks and, when the domain runs, its memory. Needs qcow2
     * disks.
     */
    FULL,
    /**
     * The disks only, in new overlay files beside them (an external snapshot): works with raw disks too, never
     * holds memory; the domain writes to the overlays from then on.
     */
    DISK_ONLY
}
