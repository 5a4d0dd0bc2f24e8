package org.kvmportal.hypervisor.internal;

import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.kvmportal.hypervisor.DomainMigrator;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.HostState;
import org.kvmportal.hypervisor.HypervisorException;
import org.kvmportal.hypervisor.Migration;
import org.kvmportal.hypervisor.MigrationMode;
import org.kvmportal.hypervisor.MigrationOptions;
import org.kvmportal.hypervisor.MigrationProgress;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * {@link DomainMigrator} over libvirt's managed (client-driven, not peer-to-peer) migration: the portal holds
 * the connections to both hosts, so any host it can reach can be a target, with the portal's own credentials.
 * Each migration gets a thread of its own; at most {@link #MAX_RUNNING} run at once. See ADR 12.
 */
@Component
class LibvirtMigrator implements DomainMigrator {

    static final int MAX_RUNNING = 4;
    /** After the timeout the source is told to abort; this long after that the portal stops waiting. */
    static final Duration ABORT_GRACE = Duration.ofSeconds(60);

    private static final Duration TICK = Duration.ofSeconds(1);

    private final LibvirtHypervisor hypervisor;
    private final Duration timeout;
    private final boolean assumeSharedStorage;
    private final ThreadPoolExecutor threads;
    private final ScheduledExecutorService ticker;

    /**
     * @param timeout how long one migration may take before it is aborted
     * @param assumeSharedStorage see {@link MigrationFlags#of}
     */
    LibvirtMigrator(
            LibvirtHypervisor hypervisor,
            @Value("${kvmportal.migration.timeout:30m}") Duration timeout,
            @Value("${kvmportal.migration.assume-shared-storage:false}") boolean assumeSharedStorage) {
        this.hypervisor = hypervisor;
        this.timeout = timeout;
        this.assumeSharedStorage = assumeSharedStorage;
        var counter = new AtomicInteger();
        // Platform threads (JNA pins virtual ones), none kept idle, no queue: a migration starts now or is refused.
        this.threads =
                new ThreadPoolExecutor(0, MAX_RUNNING, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), runnable -> {
                    var thread = new Thread(runnable, "libvirt-migration-" + counter.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        this.ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            var thread = new Thread(runnable, "libvirt-migration-ticker");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public Migration migrate(
            DomainRef ref, String targetHost, MigrationOptions options, Consumer<MigrationProgress> progress) {
        HostConnection source;
        HostConnection target;
        String name;
        try {
            source = host(ref.host());
            name = source.domain(ref.uuid())
                    .map(DomainSummary::name)
                    .orElseThrow(() -> new HypervisorException("That virtual machine no longer exists."));
            if (targetHost.equals(ref.host())) {
                throw new HypervisorException(name + " is already on host " + targetHost + ".");
            }
            target = host(targetHost);
            checkConnected(source, name);
            checkConnected(target, name);
            if (options.mode() == MigrationMode.LIVE
                    && (source.status().simulated() || target.status().simulated())) {
                throw new HypervisorException("Could not move " + name + " live: libvirt's test driver (a simulated"
                        + " host) cannot migrate a running VM. Shut it down to move it offline.");
            }
        } catch (HypervisorException e) {
            return failed(e);
        }
        var job = new MigrationJob(
                ref, name, source, target, options, MigrationFlags.of(options, assumeSharedStorage), progress);
        try {
            threads.execute(job::run);
        } catch (RejectedExecutionException e) {
            return failed(new HypervisorException("Could not move " + name + ": " + MAX_RUNNING
                    + " migrations are running already; wait until one of them ends."));
        }
        var ticks = ticker.scheduleWithFixedDelay(job::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
        var stop = ticker.schedule(
                () -> job.stop("took longer than " + describe(timeout) + " and was stopped"),
                timeout.toMillis(),
                TimeUnit.MILLISECONDS);
        var giveUp = ticker.schedule(
                () -> job.giveUp(describe(timeout.plus(ABORT_GRACE))),
                timeout.plus(ABORT_GRACE).toMillis(),
                TimeUnit.MILLISECONDS);
        job.ended().whenComplete((moved, error) -> {
            ticks.cancel(false);
            stop.cancel(false);
            giveUp.cancel(false);
        });
        return job;
    }

    private HostConnection host(String name) {
        try {
            return hypervisor
                    .<HostConnection>onHost(name, CompletableFuture::completedFuture)
                    .join();
        } catch (CompletionException e) {
            throw (HypervisorException) e.getCause();
        }
    }

    private static void checkConnected(HostConnection host, String name) {
        var status = host.status();
        if (status.state() != HostState.CONNECTED) {
            throw new HypervisorException("Could not move " + name + ": host " + host.name() + " is not connected ("
                    + status.reason() + ").");
        }
    }

    private static Migration failed(HypervisorException error) {
        var result = CompletableFuture.<DomainRef>failedFuture(error);
        return new Migration() {
            @Override
            public CompletableFuture<DomainRef> result() {
                return result;
            }

            @Override
            public void cancel() {
                // nothing runs
            }
        };
    }

    private static String describe(Duration duration) {
        return duration.toSeconds() % 60 == 0 ? duration.toMinutes() + " min" : duration.toSeconds() + " s";
    }

    @PreDestroy
    void close() {
        ticker.shutdownNow();
        threads.shutdown(); // a native migrate call cannot be interrupted; its daemon thread ends with it
    }
}
