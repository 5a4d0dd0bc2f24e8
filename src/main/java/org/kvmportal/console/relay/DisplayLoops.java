package org.kvmportal.console.relay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Event loops that wait for the consoles' displays: a few platform threads, each waiting on one selector for
 * all the displays it watches, and calling a display's reader when it has sent something.
 *
 * <p>A thread blocked in a read per console was the simpler design, and the relay had one (a virtual thread),
 * but its every wake-up went through two hand-offs (the JDK's poller, then a carrier thread), which doubled the
 * relay's latency tail, and a platform thread per console costs ~100 KiB of native memory. A loop wakes on the
 * display's data itself, as websockify's and nginx's do, and an idle console costs it one selection key.
 */
final class DisplayLoops implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DisplayLoops.class);
    private static final ThreadLocal<Boolean> ON_A_LOOP = ThreadLocal.withInitial(() -> false);

    private final Loop[] loops;
    private final AtomicInteger next = new AtomicInteger();

    /** @param threads how many loops share the displays; each relays about 2 GB/s */
    DisplayLoops(int threads) {
        loops = new Loop[threads];
        for (int i = 0; i < threads; i++) {
            loops[i] = new Loop(i);
        }
    }

    /** One loop per core, at most four: a loop is rarely busy, and a console's data stays on one core. */
    static DisplayLoops forThisMachine() {
        return new DisplayLoops(Math.clamp(Runtime.getRuntime().availableProcessors(), 1, 4));
    }

    /**
     * Watches a connected display, switched to non-blocking; paused until {@link Watch#resume}. {@code reader}
     * then runs on the loop's thread whenever the display has sent something, until the watch is paused or
     * cancelled: it must not block.
     */
    Watch watch(SocketChannel display, Runnable reader) throws IOException {
        var loop = loops[Math.floorMod(next.getAndIncrement(), loops.length)];
        display.configureBlocking(false);
        var watch = new Watch(loop, reader);
        watch.key = display.register(loop.selector, 0, watch);
        return watch;
    }

    /** Whether the caller is a loop's thread, which must never wait. */
    static boolean onALoop() {
        return ON_A_LOOP.get();
    }

    @Override
    public void close() {
        for (var loop : loops) {
            loop.close();
        }
    }

    /** One display's place in a loop. */
    static final class Watch {

        private final Loop loop;
        private final Runnable reader;
        private volatile SelectionKey key;
        private volatile CompletableFuture<Void> writable;

        private Watch(Loop loop, Runnable reader) {
            this.loop = loop;
            this.reader = reader;
        }

        /** Stops calling the reader until {@link #resume}: the relay's flow control. */
        void pause() {
            try {
                key.interestOpsAnd(~SelectionKey.OP_READ);
            } catch (CancelledKeyException ended) {
                // nothing to pause
            }
        }

        void resume() {
            try {
                key.interestOpsOr(SelectionKey.OP_READ);
                loop.wakeUpFromOutside();
            } catch (CancelledKeyException ended) {
                // nothing to resume
            }
        }

        /**
         * Waits, at most {@code timeout}, until the display can take more: for a write that found its socket
         * buffer full. Rare: a browser's input is a few bytes at a time. False when it timed out.
         */
        boolean awaitWritable(Duration timeout) throws InterruptedException {
            var ready = new CompletableFuture<Void>();
            writable = ready;
            try {
                key.interestOpsOr(SelectionKey.OP_WRITE);
                loop.wakeUpFromOutside();
                ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return true;
            } catch (CancelledKeyException | ExecutionException | TimeoutException e) {
                return false;
            }
        }

        /**
         * Stops watching. The owner closes the connection; the selector lets go of it (and the kernel of its
         * socket) at its next select, which this brings about.
         */
        void cancel() {
            key.cancel();
            loop.selector.wakeup();
            var waiter = writable;
            if (waiter != null) {
                waiter.completeExceptionally(new ClosedChannelException());
            }
        }

        private void ready(SelectionKey selected) {
            if (selected.isWritable()) {
                selected.interestOpsAnd(~SelectionKey.OP_WRITE);
                writable.complete(null);
            }
            if (selected.isValid() && selected.isReadable()) {
                reader.run();
            }
        }
    }

    private static final class Loop implements Runnable {

        private final Selector selector;
        private final Thread thread;
        private volatile boolean open = true;

        Loop(int index) {
            try {
                selector = Selector.open();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            thread = Thread.ofPlatform()
                    .name("console-display-" + index)
                    .daemon()
                    .start(this);
        }

        @Override
        public void run() {
            ON_A_LOOP.set(true);
            while (open) {
                try {
                    selector.select(Loop::ready);
                } catch (IOException | RuntimeException e) {
                    if (open) {
                        log.warn("A console display loop failed; it goes on", e);
                    }
                }
            }
        }

        private static void ready(SelectionKey selected) {
            try {
                ((Watch) selected.attachment()).ready(selected);
            } catch (CancelledKeyException ended) {
                // the console closed while this was selected
            } catch (RuntimeException e) {
                log.warn("A console's display reader failed", e);
            }
        }

        /** A change of what a key waits for counts from the next select; the loop's own changes come before it. */
        void wakeUpFromOutside() {
            if (Thread.currentThread() != thread) {
                selector.wakeup();
            }
        }

        void close() {
            open = false;
            try {
                selector.close();
            } catch (IOException e) {
                log.debug("Closing a console display loop", e);
            }
        }
    }
}
