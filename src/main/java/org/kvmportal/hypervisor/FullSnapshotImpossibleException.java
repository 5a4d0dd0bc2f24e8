package org.kvmportal.hypervisor;

/**
 * The host refused a full snapshot for a reason that a disk-only snapshot avoids (a raw disk image, UEFI firmware
 * on a libvirt that cannot save its variables): the caller may offer {@link SnapshotKind#DISK_ONLY} instead.
 */
public class FullSnapshotImpossibleException extends HypervisorException {

    public FullSnapshotImpossibleException(String message, Throwable cause) {
        super(message, cause);
    }
}
