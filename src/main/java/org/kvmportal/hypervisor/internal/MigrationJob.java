package org.kvmportal.hypervisor.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.HypervisorException;
import org.kvmportal.hypervisor.Migration;
import org.kvmportal.hypervisor.MigrationCancelledException;
import org.kvmportal.hypervisor.MigrationMode;
import org.kvmportal.hypervisor.MigrationOptions;
import org.kvmportal.hypervisor.MigrationProgress;
import org.libvirt.Domain;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One VM on its way to another host. {@link #run} does the move on a migration thread of its own, over two
 * connections of its own (closed when it ends), so the source host's single pool thread stays free for its
 * usual calls; progress ({@link #tick}) and cancel go through that pool, as short calls. See ADR 12.
 */
final class MigrationJob implements Migration {

    /** {@code VIR_DOMAIN_XML_SECURE | INACTIVE | MIGRATABLE}: the persistent definition, passwords included. */
    private static final int DEFINITION_XML = 1 | 2 | 8;
    /** {@code VIR_DOMAIN_JOB_BOUNDED} and {@code _UNBOUNDED}: a job is running. */
    private static final int JOB_BOUNDED = 1;

    private static final int JOB_UNBOUNDED = 2;
    private static final int KEEPALIVE_INTERVAL = 5;
    private static final int KEEPALIVE_COUNT = 3;

    private static final Logger log = LoggerFactory.getLogger(MigrationJob.class);

    private final DomainRef ref;
    private final String name;
    private final HostConnection source;
    private final HostConnection target;
    private final MigrationOptions options;
    private final long flags;
    private final Consumer<MigrationProgress> progress;
    private final CompletableFuture<DomainRef> result = new CompletableFuture<>();
    private final AtomicBoolean polling = new AtomicBoolean();
    /** Set just before libvirt's migrate call: from then on an abort on the source is ours to send. */
    private volatile boolean started;
    /** Why the migration is being stopped ("was cancelled", ...); null while nobody wants it stopped. */
    private volatile String stopReason;

    MigrationJob(
            DomainRef ref,
            String name,
            HostConnection source,
            HostConnection target,
            MigrationOptions options,
            long flags,
            Consumer<MigrationProgress> progress) {
        this.ref = ref;
        this.name = name;
        this.source = source;
        this.target = target;
        this.options = options;
        this.flags = flags;
        this.progress = progress;
    }

    @Override
    public CompletableFuture<DomainRef> result() {
        return result.copy();
    }

    /** Also for the starter: runs when the job ends, however it ends. */
    CompletableFuture<DomainRef> ended() {
        return result;
    }

    @Override
    public void cancel() {
        stop("was cancelled");
    }

    /** Asks the source to abort, for {@code why} (completing "The migration of X ..."); the first reason wins. */
    void stop(String why) {
        if (result.isDone()) {
            return;
        }
        if (stopReason == null) {
            stopReason = why;
        }
        if (started) {
            readProgress(); // aborts first; retried every tick until the migrate call returns
        }
    }

    void fail(HypervisorException error) {
        result.completeExceptionally(error);
    }

    /** The last resort of the timeout: the hosts neither finished nor aborted. The thread returns when libvirt does. */
    void giveUp(String waited) {
        fail(new HypervisorException("The migration of " + name + " did not end within " + waited
                + ", not even after it was told to stop. It may still be running between hosts " + source.name()
                + " and " + target.name() + ": check both with virsh before acting on " + name + "."));
    }

    /** The move itself; runs on a migration thread and blocks it for as long as the migration takes. */
    void run() {
        try {
            if (options.mode() == MigrationMode.OFFLINE
                    && (source.status().simulated() || target.status().simulated())) {
                moveDefinition(); // libvirt's test driver has no migration at all
            } else {
                migrateWithLibvirt();
            }
            var moved = new DomainRef(target.name(), ref.uuid());
            // Into the target's inventory before anyone is told, so that the VM's new page finds it at once.
            target.onDomain(moved, "read", HostConnection.READ_TIMEOUT, domain -> {})
                    .whenComplete((ignored, error) -> result.complete(moved));
        } catch (HypervisorException e) {
            fail(e);
        } catch (RuntimeException e) {
            fail(new HypervisorException("Could not move " + name + ": unexpected error (" + e + ").", e));
        }
    }

    private void migrateWithLibvirt() {
        PortalConnect from = null;
        PortalConnect to = null;
        boolean definitionOnly = false;
        try {
            checkNotStopped();
            from = open(source);
            to = open(target);
            Domain domain = from.domainLookupByUUID(ref.uuid());
            try {
                checkState(domain);
                checkNotStopped();
                started = true;
                domain.migrate(to, flags, null, null, options.bandwidthMiBps()).free();
            } finally {
                domain.free();
            }
        } catch (LibvirtException e) {
            if (options.mode() == MigrationMode.OFFLINE && unsupported(e)) {
                definitionOnly = true;
            } else {
                throw failure(e);
            }
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
        if (definitionOnly) {
            log.info("Host {} cannot migrate offline: moving the definition of {} instead", source.name(), name);
            moveDefinition();
        }
    }

    /**
     * The offline move where libvirt has none: define on the target, then undefine on the source. Both are
     * short calls on the hosts' own pools. Should the undefine fail, the copy goes again: never two hosts with
     * one VM.
     */
    private void moveDefinition() {
        String xml = join(source.call("read the definition of " + name, HostConnection.READ_TIMEOUT, c -> {
            Domain domain = c.domainLookupByUUID(ref.uuid());
            try {
                checkState(domain);
                return domain.getXMLDesc(DEFINITION_XML);
            } finally {
                domain.free();
            }
        }));
        checkNotStopped();
        join(target.call("define " + name + " on host " + target.name(), HostConnection.LIFECYCLE_TIMEOUT, c -> {
            c.domainDefineXML(xml).free();
            return null;
        }));
        try {
            join(source.call("remove " + name + " from host " + source.name(), HostConnection.LIFECYCLE_TIMEOUT, c -> {
                Domain domain = c.domainLookupByUUID(ref.uuid());
                try {
                    checkState(domain);
                    domain.undefine();
                } finally {
                    domain.free();
                }
                return null;
            }));
        } catch (HypervisorException e) {
            String undone = " It stays on host " + source.name() + ".";
            try {
                join(target.call(
                        "remove the copy of " + name + " from host " + target.name(),
                        HostConnection.LIFECYCLE_TIMEOUT,
                        c -> {
                            Domain copy = c.domainLookupByUUID(ref.uuid());
                            try {
                                copy.undefine();
                            } finally {
                                copy.free();
                            }
                            return null;
                        }));
            } catch (HypervisorException undo) {
                undone = " Its copy on host " + target.name() + " could not be removed either (" + undo.getMessage()
                        + "): it is now defined on both hosts.";
            }
            throw new HypervisorException(e.getMessage() + undone, e);
        }
    }

    /** Every second while the migrate call runs: reads the job's progress, and aborts it first when asked to. */
    void tick() {
        if (started && !result.isDone()) {
            readProgress();
        }
    }

    private void readProgress() {
        if (!polling.compareAndSet(false, true)) {
            return;
        }
        String abortFor = stopReason;
        source.call("read the progress of moving " + name, HostConnection.READ_TIMEOUT, c -> {
                    Domain domain = c.domainLookupByUUID(ref.uuid());
                    try {
                        if (abortFor != null) {
                            abort(domain);
                        }
                        return domain.getJobInfo();
                    } finally {
                        domain.free();
                    }
                })
                .whenComplete((info, error) -> {
                    polling.set(false);
                    if (error != null || result.isDone()) {
                        return; // the VM left the source (done), or the host is busy: the next tick tries again
                    }
                    if (info.getType() == JOB_BOUNDED || info.getType() == JOB_UNBOUNDED) {
                        report(new MigrationProgress(
                                info.getDataProcessed(),
                                info.getDataRemaining(),
                                info.getDataTotal(),
                                Duration.ofMillis(info.getTimeElapsed())));
                    }
                });
    }

    private void abort(Domain domain) {
        try {
            domain.abortJob();
        } catch (LibvirtException e) {
            // No job yet (libvirt is still preparing the target) or none any more: the next tick tries again.
            log.debug("Aborting the migration of {}: {}", name, e.getMessage());
        }
    }

    private void report(MigrationProgress now) {
        try {
            progress.accept(now);
        } catch (RuntimeException e) {
            log.warn("A migration progress listener failed", e);
        }
    }

    private void checkNotStopped() {
        if (stopReason != null) {
            throw new MigrationCancelledException(stoppedMessage(), null);
        }
    }

    private String stoppedMessage() {
        return "The migration of " + name + " " + stopReason + "; it stays on host " + source.name() + ".";
    }

    /** Refuses when the VM changed since the admin chose the mode: libvirt would do something else than asked. */
    private void checkState(Domain domain) throws LibvirtException {
        boolean active = domain.isActive() == 1;
        if (options.mode() == MigrationMode.LIVE && !active) {
            throw new HypervisorException(
                    "Could not move " + name + " live: it is no longer running. Move it offline instead.");
        }
        if (options.mode() == MigrationMode.OFFLINE && active) {
            // An offline migration of a running domain would move only its definition and leave it running here.
            throw new HypervisorException("Could not move " + name + " offline: it is running now. Move it live.");
        }
        if (!active && domain.hasManagedSaveImage() == 1) {
            throw new HypervisorException("Could not move " + name + ": it has a saved memory image on host "
                    + source.name() + ", which does not move. Restore it (or start it) first.");
        }
    }

    private HypervisorException failure(LibvirtException e) {
        var code = e.getError() == null ? null : e.getError().getCode();
        if (stopReason != null || code == ErrorNumber.VIR_ERR_OPERATION_ABORTED) {
            if (stopReason == null) {
                stopReason = "was cancelled on the host";
            }
            return new MigrationCancelledException(stoppedMessage(), e);
        }
        if (code == ErrorNumber.VIR_ERR_MIGRATE_UNSAFE) {
            return new HypervisorException(
                    "Could not move " + name + " to host " + target.name()
                            + ": libvirt cannot tell whether that host sees the same disk files (they are on a local file"
                            + " system). Copy the disks instead; or, if the hosts do share this storage, set"
                            + " kvmportal.migration.assume-shared-storage=true.",
                    e);
        }
        return LibvirtErrors.translate("move " + name + " to host " + target.name(), e);
    }

    private static boolean unsupported(LibvirtException e) {
        var code = e.getError() == null ? null : e.getError().getCode();
        return code == ErrorNumber.VIR_ERR_NO_SUPPORT || code == ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED;
    }

    private PortalConnect open(HostConnection host) {
        try {
            var connect = new PortalConnect(host.status().uri());
            try {
                // A host that dies mid-migration must end the migrate call, not leave it waiting for good.
                connect.setKeepAlive(KEEPALIVE_INTERVAL, KEEPALIVE_COUNT);
            } catch (LibvirtException e) {
                log.debug("Migration connection to {} has no keepalive: {}", host.name(), e.getMessage());
            }
            return connect;
        } catch (LibvirtException e) {
            throw LibvirtErrors.translate("connect to host " + host.name() + " to move " + name, e);
        }
    }

    private static void closeQuietly(PortalConnect connect) {
        if (connect == null) {
            return;
        }
        try {
            connect.close();
        } catch (LibvirtException | RuntimeException e) {
            log.debug("Closing a migration connection failed: {}", e.getMessage());
        }
    }

    private static <T> T join(CompletableFuture<T> call) {
        try {
            return call.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof HypervisorException hypervisorException) {
                throw hypervisorException;
            }
            throw e;
        }
    }
}
