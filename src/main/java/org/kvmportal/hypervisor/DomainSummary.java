package org.kvmportal.hypervisor;

/**
 * What the inventory knows about one domain; cheap to copy, safe to hand to any thread.
 *
 * @param autostart whether the host starts the domain when it boots
 * @param managedSave whether a saved memory image waits: starting the domain then restores it
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
        boolean managedSave) {

    public DomainSummary withState(PowerState newState) {
        return new DomainSummary(
                ref, name, newState, vcpus, memoryKiB, maxMemoryKiB, persistent, autostart, managedSave);
    }
}
