package org.kvmportal.storage;

import static org.kvmportal.base.InputRefusedException.failedIfRefused;

import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.kvmportal.audit.Actor;
import org.kvmportal.audit.AuditEntry;
import org.kvmportal.audit.AuditLog;
import org.kvmportal.base.CurrentUser;
import org.kvmportal.base.Failures;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.Hypervisor;
import org.kvmportal.hypervisor.NewVolume;
import org.kvmportal.hypervisor.StoragePoolSummary;
import org.kvmportal.hypervisor.StoragePools;
import org.kvmportal.hypervisor.StorageVolume;
import org.kvmportal.hypervisor.VolumeFormat;
import org.kvmportal.hypervisor.VolumeInUseException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/**
 * Storage pools and volumes for admins. Input is checked here, field by field, before any libvirt call; a
 * refused request changes nothing. Every change is audited, refusals by the volume guard and failures too.
 */
@Service
@PreAuthorize("hasRole('ADMIN')")
public class StorageService {

    private final CurrentUser caller;

    private final Hypervisor hypervisor;
    private final StoragePools storage;
    private final AuditLog audit;
    private final VolumeOwners owners;

    StorageService(
            Hypervisor hypervisor, StoragePools storage, AuditLog audit, CurrentUser caller, VolumeOwners owners) {
        this.caller = caller;
        this.owners = owners;
        this.hypervisor = hypervisor;
        this.storage = storage;
        this.audit = audit;
    }

    /** The hosts connected now, in the configured order: the ones whose storage can be shown. */
    @PreAuthorize("hasRole('ADMIN')")
    public List<String> hosts() {
        return hypervisor.connectedHosts();
    }

    @PreAuthorize("hasRole('ADMIN')")
    public CompletableFuture<List<StoragePoolSummary>> pools(String host) {
        return failedIfRefused(() -> storage.pools(host(host)));
    }

    @PreAuthorize("hasRole('ADMIN')")
    public CompletableFuture<Void> startPool(String host, String pool) {
        return audited("STORAGE_POOL_START", host, pool, null, () -> storage.start(host(host), pool(pool)));
    }

    @PreAuthorize("hasRole('ADMIN')")
    public CompletableFuture<Void> stopPool(String host, String pool) {
        return audited("STORAGE_POOL_STOP", host, pool, null, () -> storage.stop(host(host), pool(pool)));
    }

    @PreAuthorize("hasRole('ADMIN')")
    public CompletableFuture<Void> refreshPool(String host, String pool) {
        return audited("STORAGE_POOL_REFRESH", host, pool, null, () -> storage.refresh(host(host), pool(pool)));
    }

    /** The pool's volumes, each with what depends on it (and so why it cannot be deleted). */
    @PreAuthorize("hasRole('ADMIN')")
    public CompletableFuture<List<StorageVolume>> volumes(String host, String pool) {
        return failedIfRefused(() -> storage.volumes(host(host), pool(pool)));
    }

    /**
     * Who owns each volume of the pool that is not the admins' (ADR 13): the UUID of a VM, or published disc
     * images. A volume missing here is the admins' and not published.
     */
    @PreAuthorize("hasRole('ADMIN')")
    public Map<String, VolumeOwner> owners(String host, String pool) {
        var owned = new HashMap<String, VolumeOwner>();
        owners.onHost(host(host)).forEach((id, owner) -> {
            if (id.pool().equals(pool)) {
                owned.put(id.volume(), owner);
            }
        });
        return owned;
    }

    /**
     * Publishes one of the admins' disc images ({@code .iso}) for self-service, so that anyone may insert it into
     * a CD-ROM drive of a VM they manage (read-only), or withdraws it. A VM's volume cannot be published: that
     * refusal fails the future with {@link StorageInputException}.
     */
    @PreAuthorize("hasRole('ADMIN')")
    public CompletableFuture<Void> publish(String host, String pool, String volume, boolean published) {
        var actor = audit.actor();
        String user = actor.username();
        String action = published ? "VOLUME_PUBLISH" : "VOLUME_UNPUBLISH";
        VolumeId id;
        try {
            id = new VolumeId(host(host), pool(pool), StorageInput.listedName("volume", volume));
        } catch (StorageInputException e) {
            return CompletableFuture.failedFuture(e);
        }
        var owner = owners.of(id); // read before libvirt is asked, on the caller's thread
        return storage.volumes(host, pool).thenAccept(listed -> {
            String refusal = listed.stream().noneMatch(found -> found.name().equals(volume))
                    ? "Storage pool " + pool + " has no volume named " + volume + "."
                    : !volume.toLowerCase(Locale.ROOT).endsWith(".iso")
                            ? "Only disc images (.iso volumes) are published for self-service."
                            : !owner.admins()
                                    ? "Volume " + volume + " belongs to a virtual machine; only the administrators'"
                                            + " disc images are published."
                                    : null;
            if (refusal != null) {
                record(actor, action, host, pool + "/" + volume, "REFUSED", refusal);
                throw new StorageInputException("volume", refusal);
            }
            owners.publish(id, published, user);
            record(actor, action, host, pool + "/" + volume, "SUCCESS", null);
        });
    }

    /** Who a volume belongs to, in words: "the administrators", "the administrators, published", "VM web-1". */
    @PreAuthorize("hasRole('ADMIN')")
    public String describe(String host, VolumeOwner owner) {
        if (owner.admins()) {
            return owner.published() ? "the administrators, published" : "the administrators";
        }
        return hypervisor
                .domain(new DomainRef(host, owner.vm()))
                .map(vm -> "VM " + vm.name())
                .orElse("VM " + owner.vm() + " (not on this host)");
    }

    /** Creates an empty volume (the admins'): qcow2 (thin) or raw (sparse). */
    @PreAuthorize("hasRole('ADMIN')")
    public CompletableFuture<StorageVolume> createVolume(
            String host, String pool, String name, VolumeFormat format, Long sizeGib) {
        var actor = audit.actor();
        NewVolume volume;
        try {
            host(host);
            pool(pool);
            var checkedFormat = StorageInput.format(format);
            volume = new NewVolume(
                    StorageInput.volumeName(name, checkedFormat), checkedFormat, StorageInput.sizeGib(sizeGib));
        } catch (StorageInputException e) {
            return CompletableFuture.failedFuture(e);
        }
        String detail = volume.format().libvirtName() + ", " + sizeGib + " GiB";
        var created = storage.volumes(host, pool).thenCompose(existing -> {
            if (existing.stream().anyMatch(other -> other.name().equalsIgnoreCase(volume.name()))) {
                throw new StorageInputException(
                        "name", "Storage pool " + pool + " already has a volume named " + volume.name() + ".");
            }
            return storage.createVolume(host, pool, volume);
        });
        // The admins' even where a deleted namesake left a record (made outside the portal, say).
        created = created.thenApply(made -> {
            owners.forget(new VolumeId(host, pool, volume.name()));
            return made;
        });
        return created.whenComplete((ignored, error) -> {
            var cause = error == null ? null : Failures.causeOf(error);
            if (!(cause instanceof StorageInputException)) {
                record(
                        actor,
                        "VOLUME_CREATE",
                        host,
                        pool + "/" + volume.name(),
                        error == null ? "SUCCESS" : "FAILURE",
                        error == null ? detail : cause.getMessage());
            }
        });
    }

    /** Grows a volume to {@code sizeGib}; a size not larger than now is refused. */
    @PreAuthorize("hasRole('ADMIN')")
    public CompletableFuture<Void> resizeVolume(String host, String pool, String volume, Long sizeGib) {
        long bytes;
        try {
            host(host);
            pool(pool);
            StorageInput.listedName("volume", volume);
            bytes = StorageInput.sizeGib(sizeGib);
        } catch (StorageInputException e) {
            return CompletableFuture.failedFuture(e);
        }
        return audited(
                "VOLUME_RESIZE",
                host,
                pool + "/" + volume,
                sizeGib + " GiB",
                () -> storage.resizeVolume(host, pool, volume, bytes));
    }

    /**
     * Deletes a volume, unless a VM uses it or another volume is backed by it: that refusal fails the future
     * with {@link VolumeInUseException}, which says why. Its ownership record goes with it.
     */
    @PreAuthorize("hasRole('ADMIN')")
    public CompletableFuture<Void> deleteVolume(String host, String pool, String volume) {
        return audited(
                "VOLUME_DELETE",
                host,
                pool + "/" + volume,
                null,
                () -> storage.deleteVolume(host(host), pool(pool), StorageInput.listedName("volume", volume))
                        .thenRun(() -> owners.forget(new VolumeId(host, pool, volume))));
    }

    /**
     * Uploads an ISO image into a pool as a new volume named after the file. Blocks until done (called on
     * the upload's own request thread, never the UI's). The file name, size and content are checked first: a
     * plain {@code .iso} name, not taken in the pool, no larger than the pool's free space, and an ISO 9660 or
     * UDF image by its volume descriptors ({@link IsoImages}).
     *
     * @param progress told the bytes written to the volume so far
     */
    @PreAuthorize("hasRole('ADMIN')")
    public StorageVolume uploadIso(
            String host, String pool, String fileName, long size, InputStream data, LongConsumer progress) {
        var actor = audit.actor();
        String name = StorageInput.isoName(fileName);
        var target = poolOf(host(host), pool(pool));
        if (!target.active()) {
            throw new StorageInputException("pool", "Storage pool " + pool + " is not active; start it first.");
        }
        if (size <= 0) {
            throw new StorageInputException("file", "The file is empty.");
        }
        if (size > target.availableBytes()) {
            throw new StorageInputException(
                    "file",
                    "The file (" + Bytes.of(size) + ") is larger than the free space of storage pool " + pool + " ("
                            + Bytes.of(target.availableBytes()) + ").");
        }
        boolean taken = join(storage.volumes(host, pool)).stream()
                .anyMatch(volume -> volume.name().equalsIgnoreCase(name));
        if (taken) {
            throw new StorageInputException(
                    "file", "Storage pool " + pool + " already has a volume named " + name + ".");
        }
        var image = IsoImages.checked(size, data);
        try {
            var volume = storage.upload(host, pool, name, size, image, progress);
            owners.forget(new VolumeId(host, pool, name)); // the admins', not published until they say so
            record(actor, "VOLUME_UPLOAD", host, pool + "/" + name, "SUCCESS", Bytes.of(size));
            return volume;
        } catch (RuntimeException e) {
            record(actor, "VOLUME_UPLOAD", host, pool + "/" + name, "FAILURE", e.getMessage());
            throw e;
        }
    }

    private StoragePoolSummary poolOf(String host, String pool) {
        return join(storage.pools(host)).stream()
                .filter(summary -> summary.name().equals(pool))
                .findFirst()
                .orElseThrow(() ->
                        new StorageInputException("pool", "Host " + host + " has no storage pool named " + pool + "."));
    }

    private String host(String host) {
        if (host == null || !hosts().contains(host)) {
            throw new StorageInputException("host", "Choose a connected host from the list.");
        }
        return host;
    }

    private static String pool(String pool) {
        return StorageInput.listedName("pool", pool);
    }

    /** Runs a change after its input was checked, and records its outcome. */
    private CompletableFuture<Void> audited(
            String action, String host, String target, String detail, Supplier<CompletableFuture<Void>> call) {
        var actor = audit.actor();
        return failedIfRefused(call).whenComplete((ignored, error) -> {
            if (error == null) {
                record(actor, action, host, target, "SUCCESS", detail);
            } else {
                var cause = Failures.causeOf(error);
                record(
                        actor,
                        action,
                        host,
                        target,
                        cause instanceof VolumeInUseException ? "REFUSED" : "FAILURE",
                        cause.getMessage());
            }
        });
    }

    private void record(Actor actor, String action, String host, String target, String result, String detail) {
        audit.record(AuditEntry.of(actor, action, host + "/" + target, null, null, result, detail));
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }
}
