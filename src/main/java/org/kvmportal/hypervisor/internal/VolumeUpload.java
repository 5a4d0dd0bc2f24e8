package org.kvmportal.hypervisor.internal;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongConsumer;
import org.kvmportal.hypervisor.HypervisorException;
import org.kvmportal.hypervisor.StorageVolume;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills a new raw volume from a stream through {@code virStorageVolUpload}. Each chunk is its own call on the
 * host's one libvirt thread, so that an upload of gigabytes from a slow browser never holds that thread for
 * more than one chunk: the host's other calls (the VM list, consoles) go on in between. The libvirt stream
 * belongs to the connection it was opened on, which stays held until the stream is freed.
 *
 * <p>Nothing is left behind on failure: the stream is aborted and freed, and the volume, which this upload
 * created itself, is deleted (a volume of that name that existed before is never touched: creating it fails).
 */
final class VolumeUpload {

    static final int CHUNK_BYTES = 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(VolumeUpload.class);
    private static final LibvirtNative streams = LibvirtNative.INSTANCE;
    private static final StorageNative storage = StorageNative.INSTANCE;

    private final HostConnection host;
    private final String pool;
    private final String name;
    private final long size;
    private final String action;

    // Touched only on the host's thread, and by abandon() when that thread is out of reach.
    private PortalConnect connect;
    private Pointer stream;
    private boolean created;

    private VolumeUpload(HostConnection host, String pool, String name, long size) {
        this.host = host;
        this.pool = pool;
        this.name = name;
        this.size = size;
        this.action = "upload " + name + " to storage pool " + pool;
    }

    static StorageVolume run(
            HostConnection host, String pool, String name, long size, InputStream data, LongConsumer progress) {
        var upload = new VolumeUpload(host, pool, name, size);
        try (var buffer = new Memory(CHUNK_BYTES)) {
            upload.open();
            byte[] bytes = new byte[CHUNK_BYTES];
            long sent = 0;
            while (sent < size) {
                int read = data.readNBytes(bytes, 0, (int) Math.min(CHUNK_BYTES, size - sent));
                if (read == 0) {
                    throw new HypervisorException("Could not " + upload.action + ": the file ended after " + sent
                            + " of " + size + " bytes (was the upload cancelled?).");
                }
                upload.send(buffer, bytes, read);
                sent += read;
                progress.accept(sent);
            }
            if (data.read() != -1) {
                throw new HypervisorException(
                        "Could not " + upload.action + ": the file is larger than the " + size + " bytes announced.");
            }
            return upload.finish();
        } catch (IOException e) {
            upload.abandon();
            throw new HypervisorException(
                    "Could not " + upload.action + ": the upload from the browser broke off (" + e.getMessage() + ").",
                    e);
        } catch (RuntimeException | Error e) {
            upload.abandon();
            throw e;
        }
    }

    /** Creates the volume and opens the stream into it. */
    private void open() {
        on("create volume " + name + " for an upload", c -> {
            var storagePool = c.storagePoolLookupByName(pool);
            try {
                long available = storagePool.getInfo().available;
                if (size > available) {
                    throw new HypervisorException("Could not " + action + ": the file (" + size
                            + " bytes) is larger than the pool's free space (" + available + " bytes).");
                }
                storagePool
                        .storageVolCreateXML(StorageVolumeXml.forUpload(name, size), 0)
                        .free();
                created = true;
            } finally {
                storagePool.free();
            }
            if (!c.acquire()) {
                throw new HypervisorException("Could not " + action + ": the host connection closed.");
            }
            connect = c;
            stream = streams.virStreamNew(c.nativePointer(), 0);
            if (stream == null) {
                throw LibvirtErrors.translateLast(action);
            }
            startUpload(c);
            return null;
        });
    }

    private void startUpload(PortalConnect c) {
        Pointer poolPointer = storage.virStoragePoolLookupByName(c.nativePointer(), pool);
        if (poolPointer == null) {
            throw LibvirtErrors.translateLast(action);
        }
        try {
            Pointer volume = storage.virStorageVolLookupByName(poolPointer, name);
            if (volume == null) {
                throw LibvirtErrors.translateLast(action);
            }
            try {
                if (storage.virStorageVolUpload(volume, stream, 0, size, 0) < 0) {
                    throw LibvirtErrors.translateLast(action);
                }
            } finally {
                storage.virStorageVolFree(volume);
            }
        } finally {
            storage.virStoragePoolFree(poolPointer);
        }
    }

    private void send(Memory buffer, byte[] bytes, int length) {
        on(action, c -> {
            buffer.write(0, bytes, 0, length);
            int offset = 0;
            while (offset < length) {
                int written = streams.virStreamSend(stream, buffer.share(offset), length - offset);
                if (written < 0) {
                    throw LibvirtErrors.translateLast(action);
                }
                offset += written;
            }
            return null;
        });
    }

    private StorageVolume finish() {
        return on("finish the " + action.replaceFirst("^upload", "upload of"), c -> {
            if (streams.virStreamFinish(stream) < 0) {
                throw LibvirtErrors.translateLast(action);
            }
            freeStream(false);
            var storagePool = c.storagePoolLookupByName(pool);
            try {
                var volume = storagePool.storageVolLookupByName(name);
                try {
                    return LibvirtStoragePools.describe(pool, volume, null);
                } finally {
                    volume.free();
                }
            } finally {
                storagePool.free();
            }
        });
    }

    /**
     * Aborts the stream and deletes the volume. On the host's thread, so that it runs after any call of this
     * upload that is still there (one that timed out, say); on this thread only when the host refuses it.
     */
    private void abandon() {
        try {
            on("remove the unfinished upload " + name, c -> {
                freeStream(true);
                if (created) {
                    deleteVolume(c);
                }
                return null;
            });
        } catch (RuntimeException e) {
            freeStream(true);
            if (created) {
                log.warn("The unfinished upload {} in pool {} could not be deleted: {}", name, pool, e.getMessage());
            }
        }
    }

    private void deleteVolume(PortalConnect c) throws LibvirtException {
        try {
            var storagePool = c.storagePoolLookupByName(pool);
            try {
                var volume = storagePool.storageVolLookupByName(name);
                try {
                    volume.delete(0);
                    created = false;
                } finally {
                    volume.free();
                }
            } finally {
                storagePool.free();
            }
        } catch (LibvirtException e) {
            if (!StorageErrors.is(e, ErrorNumber.VIR_ERR_NO_STORAGE_VOL)) {
                throw e;
            }
            created = false; // gone already
        }
    }

    private synchronized void freeStream(boolean abort) {
        if (stream != null) {
            if (abort) {
                streams.virStreamAbort(stream); // fails harmlessly on a stream an error already closed
            }
            streams.virStreamFree(stream);
            stream = null;
        }
        if (connect != null) {
            connect.release();
            connect = null;
        }
    }

    private <T> T on(String what, HostCall<T> call) {
        CompletableFuture<T> result = host.call(what, HostConnection.LIFECYCLE_TIMEOUT, call);
        try {
            return result.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }
}
