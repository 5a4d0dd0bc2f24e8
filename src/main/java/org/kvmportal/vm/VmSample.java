package org.kvmportal.vm;

import java.time.Instant;

/**
 * A VM's performance over one polling interval, computed from the difference of two bulk-stats readings.
 *
 * @param cpuPercent share of its vCPUs' time the guest used, 0-100
 * @param memoryUsedKiB what the guest's QEMU process holds in host memory (RSS), or its balloon size
 */
public record VmSample(
        Instant time,
        double cpuPercent,
        long memoryUsedKiB,
        double diskReadBytesPerSecond,
        double diskWriteBytesPerSecond,
        double netRxBytesPerSecond,
        double netTxBytesPerSecond) {}
