package org.kvmportal.hypervisor;

import java.util.Objects;

/**
 * How to move a VM.
 *
 * @param copyStorage copy the disks to the target host (libvirt's {@code VIR_MIGRATE_NON_SHARED_DISK}), for
 *     hosts that do not share storage; live only, and the target needs the same disk paths ready
 * @param bandwidthMiBps the most the migration may send per second, in MiB; 0 for no limit
 */
public record MigrationOptions(MigrationMode mode, boolean copyStorage, int bandwidthMiBps) {

    public MigrationOptions {
        Objects.requireNonNull(mode, "mode");
        if (bandwidthMiBps < 0) {
            throw new IllegalArgumentException("bandwidthMiBps must not be negative");
        }
        if (copyStorage && mode != MigrationMode.LIVE) {
            throw new IllegalArgumentException("only a live migration copies storage");
        }
    }
}
