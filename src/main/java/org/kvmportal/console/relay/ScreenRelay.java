package org.kvmportal.console.relay;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.kvmportal.console.CloseReason;
import org.kvmportal.console.ConsoleGrant;
import org.kvmportal.hypervisor.VncEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One browser's connection to one VM's VNC server: bytes from the server go out as WebSocket binary
 * messages, bytes from the browser go to the server through {@link RfbClientFilter}.
 *
 * <p>Flow control is by blocking, both ways. A virtual thread reads the server and does not read again until
 * the browser has taken the previous chunk (the send times out for a browser that stops reading), so at most
 * one chunk (256 KiB) waits per direction. Browser messages are written to the server on the container's
 * thread, which stops reading the browser's socket while the server is slow.
 *
 * <p>An idle console holds only a 1 KiB heap buffer, since most consoles are idle most of the time. When the
 * server sends more than that at once, what it has sent is gathered in a large direct buffer borrowed from a
 * shared pool and goes out in chunks as large as what is waiting, until the server pauses. Direct buffers
 * save the two copies the JDK makes between heap buffers and sockets; large chunks save system calls and
 * thread wake-ups. Together they cut the relay's CPU time per megabyte by about a third (docs/benchmarks.md).
 */
final class ScreenRelay extends Relay {

    static final int SMALL_BUFFER = 1024;
    static final int LARGE_BUFFER = 256 * 1024;
    private static final int POOLED_LARGE_BUFFERS = 64;
    private static final ConcurrentLinkedDeque<ByteBuffer> LARGE_POOL = new ConcurrentLinkedDeque<>();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(ScreenRelay.class);

    private final RfbClientFilter filter;
    /** The connection to the display, dialled when the browser's handshake passed (see {@link #dial}). */
    private final CompletableFuture<SocketChannel> display;

    private volatile SocketChannel server;

    ScreenRelay(RelayContext context, DisplayLocator locator) {
        this(context, locator, null);
    }

    /** @param dialled the display's connection, begun at the handshake; null: dial it now */
    ScreenRelay(RelayContext context, DisplayLocator locator, CompletableFuture<SocketChannel> dialled) {
        super(context);
        this.filter = new RfbClientFilter(!context.grant().interactive());
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

    @Override
    void start() {
        Thread.ofVirtual().name("console-" + grant.vmName()).start(this::run);
    }

    /** Takes the display's connection and relays until either side ends. */
    void run() {
        SocketChannel connected;
        try {
            connected = display.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof DisplayLocator.Unavailable unavailable) {
                log.info("Console of {} for {}: {}", grant.vmName(), grant.username(), unavailable.getMessage());
                close(unavailable.vmStopped() ? CloseReason.VM_STOPPED : CloseReason.DISPLAY_UNREACHABLE);
            } else {
                unreachable(e.getCause());
            }
            return;
        }
        try (var channel = connected) {
            // Nothing reaches either side before the console is admitted (see Relay.admit).
            if (!awaitAdmission()) {
                return;
            }
            server = channel;
            if (!isClosed()) {
                pump(channel);
            }
        } catch (IOException e) {
            unreachable(e);
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

    private void pump(SocketChannel channel) throws IOException {
        var unread = unreadBytes(channel);
        var small = ByteBuffer.allocate(SMALL_BUFFER);
        while (!isClosed()) {
            // An idle console waits here, holding only the small buffer.
            if (channel.read(small.clear()) < 0) {
                close(CloseReason.VM_STOPPED); // QEMU closes the display when the guest stops
                return;
            }
            small.flip();
            if (small.limit() < SMALL_BUFFER || unread.available() == 0) {
                send(small);
            } else if (!pumpLarge(channel, unread, small)) {
                return;
            }
        }
    }

    /**
     * A stream used only for available(): how many bytes the server sent that were not read yet (FIONREAD). A
     * TCP socket's adaptor answers it on every JDK; for a UNIX socket the channel's stream does on recent ones.
     * Where it answers 0 the relay still works, only in small chunks.
     */
    private static InputStream unreadBytes(SocketChannel channel) throws IOException {
        return channel.getRemoteAddress() instanceof InetSocketAddress
                ? channel.socket().getInputStream()
                : Channels.newInputStream(channel);
    }

    /**
     * Sends {@code first} and everything else the server has already sent, in large chunks, until nothing is
     * waiting; false when the console ended meanwhile.
     */
    private boolean pumpLarge(SocketChannel channel, InputStream unread, ByteBuffer first) throws IOException {
        var large = borrowLarge();
        large.clear().put(first);
        boolean sent = true;
        try {
            do {
                // Only what is already there: these reads never block while the large buffer is held. The end
                // of the stream shows as nothing available, and the next small read meets it.
                while (large.hasRemaining() && unread.available() > 0 && channel.read(large) > 0) {
                    // gathering
                }
                sent = send(large.flip());
                large.clear();
            } while (sent && !isClosed() && unread.available() > 0);
        } finally {
            // After a failed send the container may still hold the buffer: it must not carry another console.
            if (sent) {
                giveBack(large);
            }
        }
        return !isClosed();
    }

    @Override
    void fromBrowser(ByteBuffer payload) {
        if (isClosed()) {
            return;
        }
        countFromBrowser(payload.remaining());
        var channel = server;
        try {
            if (channel == null) {
                // RFB servers speak first; a browser that sends before the server's greeting is not noVNC.
                throw new RfbClientFilter.RefusedInput("input before the server's greeting");
            }
            var forward = filter.filter(payload);
            while (forward.hasRemaining()) {
                channel.write(forward);
            }
        } catch (RfbClientFilter.RefusedInput e) {
            log.info("Console of {} for {}: input refused: {}", grant.vmName(), grant.username(), e.getMessage());
            close(CloseReason.INPUT_REFUSED);
        } catch (IOException e) {
            close(CloseReason.VM_STOPPED);
        }
    }

    /** Closes the display's connection, which wakes the reading thread, also when it is still being dialled. */
    @Override
    void closeFarSide() {
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
        return buffer != null ? buffer : ByteBuffer.allocateDirect(LARGE_BUFFER);
    }

    private static void giveBack(ByteBuffer buffer) {
        if (LARGE_POOL.size() < POOLED_LARGE_BUFFERS) {
            LARGE_POOL.offerFirst(buffer);
        }
    }
}
