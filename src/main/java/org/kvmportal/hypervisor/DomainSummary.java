package org.kvmportal.hypervisor;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What the inventory knows about one domain; cheap to copy, safe to hand to any thread.
 *
 * @param autostart whether the host starts the domain when it boots
 * @param managedSave whether a saved memory image waits: starting the domain then restores it
 * @param runningSince when the portal saw this run of the domain start, or null when it does not know: the
 *     domain is not active, or it was already running when the portal connected (libvirt keeps no start time)
 */
public record DomainSummary(
        DomainRef ref,
        String name,
        PowerState state,
        int vcpus,
        long memoryKiB,
        long maxMemoryKiB,
        boolean persistent,
        boolean autostart,
        boolean managedSave,
        Instant runningSince) {

    public DomainSummary withState(PowerState newState) {
        return new DomainSummary(
                ref, name, newState, vcpus, memoryKiB, maxMemoryKiB, persistent, autostart, managedSave, runningSince);
    }

    public DomainSummary withRunningSince(Instant since) {
        return new DomainSummary(
                ref, name, state, vcpus, memoryKiB, maxMemoryKiB, persistent, autostart, managedSave, since);
    }

    /** How long the domain has been up at {@code now}; empty where unknown, and while it is not active. */
    public Optional<Duration> uptime(Instant now) {
        if (runningSince == null || !state.isActive()) {
            return Optional.empty();
        }
        var up = Duration.between(runningSince, now);
        return Optional.of(up.isNegative() ? Duration.ZERO : up);
    }
}
