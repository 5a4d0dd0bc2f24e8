package org.kvmportal.hypervisor;

import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;

/**
 * Storage pools and their volumes on the managed hosts. Like {@link Hypervisor}, every call runs on the
 * host's own thread with a timeout, fails with a {@link HypervisorException} written for a person, and checks
 * no rights: the storage service does.
 *
 * <p>A volume is never deleted while something depends on it: a domain's disk (running or not), or the
 * backing file of another volume (a template's base image). The check is made again inside the deleting
 * call, so that a VM defined meanwhile still protects its disk.
 */
public interface StoragePools {

    /** Every pool of the host, active and inactive, by name. */
    CompletableFuture<List<StoragePoolSummary>> pools(String host);

    CompletableFuture<Void> start(String host, String pool);

    /** Stops (deactivates) the pool; its volumes stay on disk. */
    CompletableFuture<Void> stop(String host, String pool);

    /** Rescans the pool's target, so that files copied there by other means show as volumes. */
    CompletableFuture<Void> refresh(String host, String pool);

    /** The volumes of an active pool, by name, each with what depends on it. */
    CompletableFuture<List<StorageVolume>> volumes(String host, String pool);

    CompletableFuture<StorageVolume> createVolume(String host, String pool, NewVolume volume);

    /** Grows a volume to {@code capacityBytes}; shrinking is refused (it would cut off the guest's data). */
    CompletableFuture<Void> resizeVolume(String host, String pool, String volume, long capacityBytes);

    /** Deletes a volume unless something depends on it (see the class comment). */
    CompletableFuture<Void> deleteVolume(String host, String pool, String volume);

    /**
     * Creates a raw volume of {@code size} bytes and fills it from {@code data} through libvirt's upload
     * stream, in chunks, each its own call on the host's thread so that other calls to the host go on
     * meanwhile. Blocks the calling thread until done. On any failure the half-written volume is deleted.
     *
     * @param progress told the number of bytes sent so far, after each chunk
     */
    StorageVolume upload(String host, String pool, String volume, long size, InputStream data, LongConsumer progress);
}
