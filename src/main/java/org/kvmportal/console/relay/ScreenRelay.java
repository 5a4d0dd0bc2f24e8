package org.kvmportal.console.relay;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.kvmportal.console.CloseReason;
import org.kvmportal.console.ConsoleGrant;
import org.kvmportal.hypervisor.VncEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One browser's connection to one VM's VNC server: bytes from the server go out as WebSocket binary
 * messages, bytes from the browser go to the server through {@link RfbClientFilter}.
 *
 * <p>The server's side is watched by one of the {@link DisplayLoops}, which calls {@link #relayWaiting} when
 * the server has sent something. That reads all that is there, up to 256 KiB, and sends it as one message;
 * nothing reads this server again until the browser has taken it (the send times out for a browser that
 * stops reading), so at most one chunk waits per direction. Browser messages are written to the server
 * on the container's thread, which stops reading the browser's socket while the server is slow.
 *
 * <p>An idle console holds no buffer. Reads go into large direct buffers borrowed from a shared pool, which
 * save the copies the JDK makes between heap buffers and sockets; a small update is copied out and its
 * buffer given back at once, a large one goes to the browser in the buffer itself (docs/benchmarks.md).
 */
final class ScreenRelay extends Relay {

    static final int LARGE_BUFFER = 256 * 1024;
    /** Reads up to this size are copied out, so that their buffer goes back to the pool at once. */
    private static final int COPIED_BELOW = 16 * 1024;

    private static final int POOLED_LARGE_BUFFERS = 64;
    private static final ConcurrentLinkedDeque<ByteBuffer> LARGE_POOL = new ConcurrentLinkedDeque<>();
    private static final AtomicInteger POOLED = new AtomicInteger();

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(ScreenRelay.class);

    private final RfbClientFilter filter;
    private final DisplayLoops loops;
    private final Duration sendTimeout;
    /** The connection to the display, dialled when the browser's handshake passed (see {@link #dial}). */
    private final CompletableFuture<SocketChannel> display;

    private volatile DisplayLoops.Watch watch;
    private volatile SocketChannel server;

    ScreenRelay(RelayContext context, DisplayLocator locator, DisplayLoops loops) {
        super(context);
        this.filter = new RfbClientFilter(!context.grant().interactive());
        this.loops = loops;
        this.sendTimeout = context.sendTimeout();
        CompletableFuture<SocketChannel> dialled = farSide();
        this.display = dialled != null ? dialled : dial(locator, context.grant());
    }

    /**
     * Finds the VM's display and connects to it on a virtual thread of its own. The handshake starts this as
     * soon as the ticket is good, so that the libvirt call and the connect overlap the rest of the WebSocket
     * upgrade instead of following it; nothing is relayed before the console is admitted.
     */
    static CompletableFuture<SocketChannel> dial(DisplayLocator locator, ConsoleGrant grant) {
        var dialled = new CompletableFuture<SocketChannel>();
        Thread.ofVirtual().name("console-dial-" + grant.vmName()).start(() -> {
            try {
                dialled.complete(open(locator.locate(grant.vm())));
            } catch (DisplayLocator.Unavailable | IOException | RuntimeException e) {
                dialled.completeExceptionally(e);
            }
        });
        return dialled;
    }

    /** Relays once the display is connected and the console admitted; closes it if either fails. */
    @Override
    void start() {
        display.thenCombine(admission(), (channel, admitted) -> admitted ? channel : null)
                .whenComplete((channel, failure) -> {
                    if (failure != null) {
                        failed(failure instanceof CompletionException e ? e.getCause() : failure);
                    } else if (channel != null) {
                        relay(channel);
                    } // not admitted: the close that refused it closes the display (closeFarSide)
                });
    }

    private void failed(Throwable cause) {
        if (cause instanceof DisplayLocator.Unavailable unavailable) {
            log.info("Console of {} for {}: {}", grant.vmName(), grant.username(), unavailable.getMessage());
            close(unavailable.vmStopped() ? CloseReason.VM_STOPPED : CloseReason.DISPLAY_UNREACHABLE);
        } else {
            unreachable(cause);
        }
    }

    private void relay(SocketChannel channel) {
        try {
            watch = loops.watch(channel, this::relayWaiting);
        } catch (IOException e) {
            unreachable(e);
            return;
        }
        server = channel;
        if (isClosed()) {
            watch.cancel(); // closed meanwhile: closeFarSide may have missed the watch
        } else {
            watch.resume();
        }
    }

    private void unreachable(Throwable cause) {
        if (!isClosed()) {
            log.info(
                    "Console of {} for {}: display unreachable: {}",
                    grant.vmName(),
                    grant.username(),
                    cause.toString());
        }
        close(CloseReason.DISPLAY_UNREACHABLE);
    }

    private static SocketChannel open(VncEndpoint endpoint) throws IOException {
        if (endpoint instanceof VncEndpoint.Tcp) {
            var channel = SocketChannel.open();
            try {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                // The channel's socket adaptor is the way to a connect timeout on a blocking channel.
                channel.socket().connect((InetSocketAddress) endpoint.address(), (int) CONNECT_TIMEOUT.toMillis());
                return channel;
            } catch (IOException e) {
                channel.close();
                throw e;
            }
        }
        var channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(endpoint.address());
        return channel;
    }

    /**
     * Relays what the server has sent, until it has nothing more for now; then the loop watches it again. Runs
     * on the display's loop when the server sent something, and on whatever thread saw the browser take a
     * chunk that did not go out at once (the container's): while data keeps coming, the thread that finished
     * one send reads the next chunk, instead of handing over to the loop for every chunk. Never both at once:
     * the loop does not watch the server while a chunk is on its way. Never blocks.
     */
    private void relayWaiting() {
        while (!isClosed()) {
            var buffer = borrowLarge();
            int read;
            try {
                read = server.read(buffer);
            } catch (IOException e) {
                read = -1;
            }
            if (read <= 0) {
                giveBack(buffer);
                if (read < 0) {
                    close(CloseReason.VM_STOPPED); // QEMU closes the display when the guest stops
                } else {
                    watch.resume();
                }
                return;
            }
            buffer.flip();
            var chunk =
                    read < COPIED_BELOW ? ByteBuffer.allocate(read).put(buffer).flip() : buffer;
            if (chunk != buffer) {
                giveBack(buffer);
            }
            watch.pause();
            var handOver = new HandOver();
            send(chunk, taken -> {
                // After a failed send the container may still hold the buffer: it must not carry another console.
                if (taken) {
                    if (chunk == buffer) {
                        giveBack(buffer);
                    }
                    if (handOver.takeOver()) {
                        relayWaiting(); // it went out later, on another thread: that thread goes on
                    }
                }
            });
            if (!handOver.takeOver()) {
                return; // still on its way: the thread that finishes it goes on
            }
        }
    }

    /** Which of two parties goes on after a send: the one that comes second (the sender, or its completion). */
    private static final class HandOver {
        private final AtomicBoolean first = new AtomicBoolean();

        /** True for the second caller. */
        boolean takeOver() {
            return !first.compareAndSet(false, true);
        }
    }

    @Override
    void fromBrowser(ByteBuffer payload) {
        if (isClosed()) {
            return;
        }
        var channel = server;
        try {
            if (channel == null) {
                // RFB servers speak first; a browser that sends before the server's greeting is not noVNC.
                throw new RfbClientFilter.RefusedInput("input before the server's greeting");
            }
            var forward = filter.filter(payload);
            while (forward.hasRemaining()) {
                if (channel.write(forward) == 0 && !watch.awaitWritable(sendTimeout)) {
                    close(CloseReason.DISPLAY_UNREACHABLE); // the server stopped reading
                    return;
                }
            }
        } catch (RfbClientFilter.RefusedInput e) {
            log.info("Console of {} for {}: input refused: {}", grant.vmName(), grant.username(), e.getMessage());
            close(CloseReason.INPUT_REFUSED);
        } catch (IOException e) {
            close(CloseReason.VM_STOPPED);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close(CloseReason.CLOSED_BY_USER);
        }
    }

    /** Closes the display's connection, also when it is still being dialled. */
    @Override
    void closeFarSide() {
        var watching = watch;
        if (watching != null) {
            watching.cancel();
        }
        display.thenAccept(ScreenRelay::closeQuietly);
    }

    static void closeQuietly(Closeable connection) {
        try {
            connection.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private static ByteBuffer borrowLarge() {
        var buffer = LARGE_POOL.pollFirst();
        if (buffer == null) {
            return ByteBuffer.allocateDirect(LARGE_BUFFER);
        }
        POOLED.decrementAndGet();
        return buffer.clear();
    }

    private static void giveBack(ByteBuffer buffer) {
        if (POOLED.incrementAndGet() <= POOLED_LARGE_BUFFERS) {
            LARGE_POOL.offerFirst(buffer);
        } else {
            POOLED.decrementAndGet();
        }
    }
}
