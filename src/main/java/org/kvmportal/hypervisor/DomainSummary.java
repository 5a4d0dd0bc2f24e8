package org.kvmportal.hypervisor;

/** What the inventory knows about one domain; cheap to copy, safe to hand to any thread. */
public record DomainSummary(
        DomainRef ref,
        String name,
        PowerState state,
        int vcpus,
        long memoryKiB,
        long maxMemoryKiB,
        boolean persistent) {

    public DomainSummary withState(PowerState newState) {
        return new DomainSummary(ref, name, newState, vcpus, memoryKiB, maxMemoryKiB, persistent);
    }
}
