package org.kvmportal.hypervisor;

import java.util.List;

/**
 * A volume of a storage pool.
 *
 * @param format libvirt's format name ({@code qcow2}, {@code raw}, {@code iso}, ...), empty when unknown
 * @param backingPath the file this volume's qcow2 backing chain starts at, empty when it has none
 * @param protections why the volume must not be deleted, one sentence each (a VM's disk, another volume's
 *     backing file); empty when nothing depends on it
 */
public record StorageVolume(
        String pool,
        String name,
        String path,
        String format,
        long capacityBytes,
        long allocationBytes,
        String backingPath,
        List<String> protections) {

    public StorageVolume {
        protections = List.copyOf(protections);
    }

    public boolean deletable() {
        return protections.isEmpty();
    }
}
