package org.kvmportal.hypervisor.internal;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.kvmportal.hypervisor.HypervisorException;

/**
 * A host's own bounded executor on a platform thread. JNA calls pin virtual threads to their carrier, so
 * libvirt never runs on one; and one executor per host means a hung host blocks only its own calls.
 */
final class HostPool {

    /**
     * One thread: calls to a host run one after another. libvirt 9.0's client crashes the JVM (SIGSEGV in
     * g_main_loop_quit) when keepalive closes a connection while several threads wait on it, which is exactly
     * what a hung host produces; our calls are short, so serializing them per host costs little.
     */
    private static final int THREADS = 1;

    private static final int QUEUE = 256;

    private final String host;
    private final ThreadPoolExecutor executor;

    HostPool(String host) {
        this.host = host;
        var counter = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(
                THREADS, THREADS, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), runnable -> {
                    var thread = new Thread(runnable, "libvirt-" + host + "-" + counter.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
    }

    /**
     * Runs {@code work} on the pool. The returned future fails with {@link HypervisorException} when the
     * work throws, when the pool is full, or when {@code timeout} passes; a timed-out native call cannot be
     * interrupted, so it keeps its thread until libvirt's keepalive closes the connection.
     */
    <T> CompletableFuture<T> submit(String action, Duration timeout, Supplier<T> work) {
        CompletableFuture<T> running;
        try {
            running = CompletableFuture.supplyAsync(work, executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new HypervisorException(
                    "Could not " + action + ": host " + host + " is busy with other requests; try again shortly.", e));
        }
        var result = new CompletableFuture<T>();
        running.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((value, error) -> {
            if (error == null) {
                result.complete(value);
            } else {
                result.completeExceptionally(translate(action, timeout, error));
            }
        });
        return result;
    }

    private HypervisorException translate(String action, Duration timeout, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof HypervisorException hypervisorException) {
            return hypervisorException;
        }
        if (cause instanceof TimeoutException) {
            return new HypervisorException(
                    "Could not " + action + ": host " + host + " did not answer within " + timeout.toSeconds() + " s.");
        }
        return new HypervisorException("Could not " + action + ": unexpected error (" + cause + ").", cause);
    }

    /**
     * Runs {@code work} on the pool with no timeout: for cleanup that must happen once it is due.
     *
     * @return false when the pool refuses it (shut down or full): the caller runs it itself
     */
    boolean execute(Runnable work) {
        try {
            executor.execute(work);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /**
     * No new work; what is queued still runs. Queued calls fail fast on the retired connection, and queued
     * cleanup (closing serial console streams) must run, or the connection they hold is never closed.
     */
    void shutdown() {
        executor.shutdown();
    }
}
