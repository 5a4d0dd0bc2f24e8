package org.kvmportal.hypervisor;

import java.time.Duration;

/**
 * How far a live migration is, as the source host's job information tells it (memory, and disks when they
 * are copied). libvirt's totals grow while the guest keeps writing to its memory.
 */
public record MigrationProgress(long processedBytes, long remainingBytes, long totalBytes, Duration elapsed) {

    /** Percent done, 0 to 100; -1 while the host has not said how much there is. */
    public int percent() {
        if (totalBytes <= 0) {
            return -1;
        }
        long done = totalBytes - Math.max(0, remainingBytes);
        return (int) Math.max(0, Math.min(100, done * 100 / totalBytes));
    }
}
