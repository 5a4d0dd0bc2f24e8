package org.kvmportal.access;

/**
 * Limits on what a user or group may have; null means no limit. Enforced when VMs are created.
 *
 * @param owner the user's name, or the group's name with an "@" before it
 */
public record Quota(String owner, Integer vms, Integer vcpus, Long memoryMib) {

    public boolean unlimited() {
        return vms == null && vcpus == null && memoryMib == null;
    }
}
