package org.kvmportal.hypervisor.internal;

import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongConsumer;
import org.kvmportal.hypervisor.HypervisorException;
import org.kvmportal.hypervisor.NewVolume;
import org.kvmportal.hypervisor.StoragePoolSummary;
import org.kvmportal.hypervisor.StoragePools;
import org.kvmportal.hypervisor.StorageVolume;
import org.kvmportal.hypervisor.VolumeInUseException;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.libvirt.StoragePoolInfo.StoragePoolState;
import org.libvirt.StorageVol;
import org.springframework.stereotype.Component;

/** {@link StoragePools} over libvirt-java, on the hosts of {@link LibvirtHypervisor}. */
@Component
class LibvirtStoragePools implements StoragePools {

    /** Reading every domain's and volume's XML for the guard takes more round trips than a plain read. */
    static final Duration GUARD_TIMEOUT = HostConnection.LIFECYCLE_TIMEOUT;

    private final LibvirtHypervisor hypervisor;

    LibvirtStoragePools(LibvirtHypervisor hypervisor) {
        this.hypervisor = hypervisor;
    }

    @Override
    public CompletableFuture<List<StoragePoolSummary>> pools(String host) {
        return call(host, "list the storage pools of host " + host, HostConnection.READ_TIMEOUT, c -> {
            var names = new TreeSet<String>(String.CASE_INSENSITIVE_ORDER);
            names.addAll(List.of(c.listStoragePools()));
            names.addAll(List.of(c.listDefinedStoragePools()));
            var pools = new ArrayList<StoragePoolSummary>();
            for (String name : names) {
                var pool = c.storagePoolLookupByName(name);
                try {
                    pools.add(summary(host, name, pool));
                } finally {
                    pool.free();
                }
            }
            return pools;
        });
    }

    private static StoragePoolSummary summary(String host, String name, StoragePool pool) throws LibvirtException {
        var info = pool.getInfo();
        var facts = StorageVolumeXml.readPool(pool.getXMLDesc(0));
        boolean active = info.state == StoragePoolState.VIR_STORAGE_POOL_RUNNING
                || info.state == StoragePoolState.VIR_STORAGE_POOL_DEGRADED;
        return new StoragePoolSummary(
                host,
                name,
                facts.type(),
                facts.path(),
                active,
                pool.getAutostart(),
                pool.isPersistent() == 1,
                active ? info.capacity : 0,
                active ? info.allocation : 0,
                active ? info.available : 0);
    }

    @Override
    public CompletableFuture<Void> start(String host, String pool) {
        return onPool(host, pool, "start storage pool " + pool, p -> p.create(0));
    }

    @Override
    public CompletableFuture<Void> stop(String host, String pool) {
        return onPool(host, pool, "stop storage pool " + pool, StoragePool::destroy);
    }

    @Override
    public CompletableFuture<Void> refresh(String host, String pool) {
        return onPool(host, pool, "refresh storage pool " + pool, p -> p.refresh(0));
    }

    @Override
    public CompletableFuture<List<StorageVolume>> volumes(String host, String pool) {
        return call(host, "list the volumes of storage pool " + pool, GUARD_TIMEOUT, c -> {
            var guard = VolumeGuard.read(c, null);
            var storagePool = c.storagePoolLookupByName(pool);
            try {
                var volumes = new ArrayList<StorageVolume>();
                for (String name : storagePool.listVolumes()) {
                    var volume = storagePool.storageVolLookupByName(name);
                    try {
                        volumes.add(describe(pool, volume, guard));
                    } finally {
                        volume.free();
                    }
                }
                volumes.sort(Comparator.comparing(StorageVolume::name, String.CASE_INSENSITIVE_ORDER));
                return volumes;
            } finally {
                storagePool.free();
            }
        });
    }

    static StorageVolume describe(String pool, StorageVol volume, VolumeGuard guard) throws LibvirtException {
        var info = volume.getInfo();
        var facts = StorageVolumeXml.read(volume.getXMLDesc(0));
        String path = volume.getPath();
        return new StorageVolume(
                pool,
                volume.getName(),
                path,
                facts.format(),
                info.capacity,
                info.allocation,
                facts.backingPath(),
                guard == null ? List.of() : guard.protections(path));
    }

    @Override
    public CompletableFuture<StorageVolume> createVolume(String host, String pool, NewVolume volume) {
        String action = "create volume " + volume.name() + " in storage pool " + pool;
        return call(host, action, HostConnection.LIFECYCLE_TIMEOUT, c -> {
            var storagePool = c.storagePoolLookupByName(pool);
            try {
                String backingPath = null;
                String backingFormat = null;
                if (volume.backingVolume() != null) {
                    var backing = storagePool.storageVolLookupByName(volume.backingVolume());
                    try {
                        backingPath = backing.getPath();
                        var format =
                                StorageVolumeXml.read(backing.getXMLDesc(0)).format();
                        backingFormat = format.isEmpty() ? "raw" : format;
                    } finally {
                        backing.free();
                    }
                }
                var created =
                        storagePool.storageVolCreateXML(StorageVolumeXml.build(volume, backingPath, backingFormat), 0);
                try {
                    return describe(pool, created, null);
                } finally {
                    created.free();
                }
            } finally {
                storagePool.free();
            }
        });
    }

    @Override
    public CompletableFuture<Void> resizeVolume(String host, String pool, String volume, long capacityBytes) {
        String action = "resize volume " + volume;
        return onVolume(host, pool, volume, action, HostConnection.LIFECYCLE_TIMEOUT, (c, v) -> {
            long current = v.getInfo().capacity;
            if (capacityBytes <= current) {
                throw new HypervisorException("Could not " + action + ": it already holds " + current
                        + " bytes; a volume only grows here (shrinking would cut off the guest's data).");
            }
            v.resize(capacityBytes, 0);
        });
    }

    @Override
    public CompletableFuture<Void> deleteVolume(String host, String pool, String volume) {
        String action = "delete volume " + volume;
        return onVolume(host, pool, volume, action, GUARD_TIMEOUT, (c, v) -> {
            var protections = VolumeGuard.read(c, null).protections(v.getPath());
            if (!protections.isEmpty()) {
                throw new VolumeInUseException(
                        "Volume " + pool + "/" + volume + " is kept: " + String.join("; ", protections) + ".",
                        protections);
            }
            v.delete(0);
        });
    }

    @Override
    public StorageVolume upload(
            String host, String pool, String volume, long size, InputStream data, LongConsumer progress) {
        HostConnection connection;
        try {
            connection =
                    hypervisor.onHost(host, CompletableFuture::completedFuture).join();
        } catch (CompletionException e) {
            throw (RuntimeException) e.getCause(); // an unknown host: HypervisorException
        }
        return VolumeUpload.run(connection, pool, volume, size, data, progress);
    }

    @FunctionalInterface
    private interface PoolCall {
        void apply(StoragePool pool) throws LibvirtException;
    }

    @FunctionalInterface
    private interface VolumeCall {
        void apply(PortalConnect connect, StorageVol volume) throws LibvirtException;
    }

    private CompletableFuture<Void> onPool(String host, String pool, String action, PoolCall work) {
        return call(host, action, HostConnection.LIFECYCLE_TIMEOUT, c -> {
            var storagePool = c.storagePoolLookupByName(pool);
            try {
                work.apply(storagePool);
                return null;
            } finally {
                storagePool.free();
            }
        });
    }

    private CompletableFuture<Void> onVolume(
            String host, String pool, String volume, String action, Duration timeout, VolumeCall work) {
        return call(host, action, timeout, c -> {
            var storagePool = c.storagePoolLookupByName(pool);
            try {
                var storageVolume = storagePool.storageVolLookupByName(volume);
                try {
                    work.apply(c, storageVolume);
                    return null;
                } finally {
                    storageVolume.free();
                }
            } finally {
                storagePool.free();
            }
        });
    }

    private <T> CompletableFuture<T> call(String host, String action, Duration timeout, HostCall<T> work) {
        return hypervisor.onHost(
                host,
                connection -> connection.call(action, timeout, StorageErrors.describing(action, "storage pool", work)));
    }
}
