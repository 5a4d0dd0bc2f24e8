package org.kvmportal.access;

/**
 * Limits on what a user or a group may create; each null means no limit.
 *
 * @param vms how many VMs
 * @param vcpus how many virtual CPUs across those VMs
 * @param memoryMib how much memory across those VMs, in MiB
 */
public record Quotas(Integer vms, Integer vcpus, Long memoryMib) {

    public static final Quotas NONE = new Quotas(null, null, null);
}
