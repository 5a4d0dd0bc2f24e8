package org.kvmportal.hypervisor.internal;

import java.util.Locale;
import java.util.regex.Pattern;
import org.kvmportal.hypervisor.FullSnapshotImpossibleException;
import org.kvmportal.hypervisor.HypervisorException;
import org.libvirt.Error.ErrorNumber;

/**
 * libvirt's snapshot refusals in words a person understands. libvirt reports most of them as "unsupported
 * configuration" with an English sentence as the only detail, so they are told apart by that sentence (libvirt
 * 9.0 to 10.x wording); anything else goes through {@link LibvirtErrors}.
 */
final class SnapshotErrors {

    /** libvirt: "internal snapshot for disk vda unsupported for storage type raw". */
    private static final Pattern INTERNAL_DISK =
            Pattern.compile("internal snapshot for disk (\\S+) unsupported for storage (?:type|format) (\\S+)");

    static final String DISK_ONLY_OFFER = " A disk-only snapshot is possible instead: it keeps the disks"
            + " (not the memory) in new overlay files beside them.";

    private SnapshotErrors() {}

    /** For our own JNA calls: libvirt's last error on this thread, translated. */
    static HypervisorException translateLast(String action) {
        var error = LibvirtErrors.lastError();
        var cause = new IllegalStateException("libvirt: " + error);
        var special = special(action, error == null ? null : error.getCode(), LibvirtErrors.detail(error), cause);
        return special != null ? special : LibvirtErrors.translate(action, error, cause);
    }

    /**
     * The snapshot-specific translation of one libvirt error, or null when the general one
     * ({@link LibvirtErrors#translate}) says it well enough.
     *
     * @param action completes "Could not ..."
     */
    static HypervisorException special(String action, ErrorNumber code, String message, Throwable cause) {
        String text = message == null ? "" : message;
        String lower = text.toLowerCase(Locale.ROOT);
        var disk = INTERNAL_DISK.matcher(text);
        if (disk.find()) {
            return new FullSnapshotImpossibleException(
                    "Could not " + action + ": its disk " + disk.group(1) + " is a " + disk.group(2)
                            + " image, and only qcow2 disks can keep snapshots inside them." + DISK_ONLY_OFFER,
                    cause);
        }
        if (lower.contains("pflash")) {
            return new FullSnapshotImpossibleException(
                    "Could not " + action + ": it starts with UEFI firmware, whose settings this host's libvirt"
                            + " cannot put into a full snapshot (libvirt 10.10 and newer can)." + DISK_ONLY_OFFER,
                    cause);
        }
        if (lower.contains("internal snapshot")
                && (code == ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED
                        || code == ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED)) {
            return new FullSnapshotImpossibleException(
                    "Could not " + action + ": this host cannot keep a snapshot inside this machine's disks (" + text
                            + ")." + DISK_ONLY_OFFER,
                    cause);
        }
        if (lower.contains("revert to external snapshot")) {
            return new HypervisorException(
                    "Could not " + action + ": this host's libvirt cannot revert to a disk-only snapshot (libvirt 9.9"
                            + " and newer can). The snapshot and its overlay files are kept.",
                    cause);
        }
        if (code == ErrorNumber.VIR_ERR_NO_DOMAIN_SNAPSHOT) {
            return new HypervisorException("Could not " + action + ": the snapshot no longer exists.", cause);
        }
        if (lower.contains("already exists")) {
            return new HypervisorException(
                    "Could not " + action + ": the machine already has a snapshot of that name.", cause);
        }
        if (code == ErrorNumber.VIR_ERR_INVALID_ARG && lower.contains("unsupported flags")) {
            return new HypervisorException(
                    "Could not " + action + ": the host's hypervisor does not support this kind of snapshot.", cause);
        }
        return null;
    }
}
