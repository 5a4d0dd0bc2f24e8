package org.kvmportal.hypervisor;

/**
 * Which snapshots a domain can take on its host.
 *
 * @param full whether a {@link SnapshotKind#FULL} snapshot is possible
 * @param whyNotFull when it is not, why, in words completing "A full snapshot is not possible: ..."
 * @param diskOnly whether a {@link SnapshotKind#DISK_ONLY} snapshot is possible
 * @param diskOnlyRevertible whether the host's libvirt can revert to disk-only snapshots (9.9 and newer)
 * @param libvirtVersion the host's libvirt version, e.g. {@code 9.0.0}
 */
public record SnapshotSupport(
        boolean full, String whyNotFull, boolean diskOnly, boolean diskOnlyRevertible, String libvirtVersion) {

    public SnapshotSupport {
        whyNotFull = whyNotFull == null ? "" : whyNotFull;
    }
}
