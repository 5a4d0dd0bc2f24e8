package org.kvmportal.hypervisor;

import java.util.List;

/**
 * A disk of a domain, seen from the question "may it be deleted with the domain?".
 *
 * @param target the guest's name for it, e.g. {@code vda}
 * @param device {@code disk}, {@code cdrom}, ...
 * @param path the file or device it reads; empty for an empty drive
 * @param pool the storage pool holding it, empty when it is in none
 * @param protections why it must be kept, one sentence each; empty when it may be deleted with the domain
 */
public record DomainDisk(
        String target, String device, String path, String pool, String volume, List<String> protections) {

    public DomainDisk {
        protections = List.copyOf(protections);
    }

    public boolean deletable() {
        return protections.isEmpty();
    }

    /** The same disk with one more reason to keep it (a reason it has already is not repeated). */
    public DomainDisk keptBecause(String reason) {
        if (protections.contains(reason)) {
            return this;
        }
        var more = new java.util.ArrayList<>(protections);
        more.add(reason);
        return new DomainDisk(target, device, path, pool, volume, more);
    }
}
