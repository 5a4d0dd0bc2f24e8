package org.kvmportal.hypervisor;

/** The state a domain was in when a snapshot was taken, as people name it. */
public enum SnapshotState {
    RUNNING("Running"),
    PAUSED("Paused"),
    SHUT_OFF("Shut off"),
    /** A disk-only snapshot of a running domain: the disks as they were, without the memory. */
    DISK_ONLY("Running (disks only)"),
    OTHER("Other");

    private final String label;

    SnapshotState(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
