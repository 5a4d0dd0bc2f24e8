package org.kvmportal.hypervisor;

/** How a VM moves to another host. */
public enum MigrationMode {
    /** A running (or paused) VM keeps running: its memory is copied while it runs, then it switches over. */
    LIVE,
    /** A shut-off VM: only its definition moves; its disks stay where they are. */
    OFFLINE
}
