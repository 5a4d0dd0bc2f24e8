package org.kvmportal.hypervisor;

/**
 * A storage pool as the storage page lists it. Sizes are in bytes and 0 while the pool is not active
 * (libvirt knows them only for an active pool).
 *
 * @param type libvirt's pool type, e.g. {@code dir}, {@code logical}, {@code netfs}
 * @param path where its volumes live on the host (the pool's target path), empty when it has none
 */
public record StoragePoolSummary(
        String host,
        String name,
        String type,
        String path,
        boolean active,
        boolean autostart,
        boolean persistent,
        long capacityBytes,
        long allocationBytes,
        long availableBytes) {}
