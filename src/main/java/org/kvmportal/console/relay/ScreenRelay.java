package org.kvmportal.console.relay;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.kvmportal.console.CloseReason;
import org.kvmportal.console.ConsoleGrant;
import org.kvmportal.console.OpenConsole;
import org.kvmportal.hypervisor.VncEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * One browser's connection to one VM's VNC server: bytes from the server go out as WebSocket binary
 * messages, bytes from the browser go to the server through {@link RfbClientFilter}.
 *
 * <p>Flow control is by blocking, both ways. A virtual thread reads the server and does not read again until
 * the browser has taken the previous chunk (the container's send times out for a browser that stops
 * reading), so at most one chunk (256 KiB) waits per direction. Browser messages are written to the server
 * on the container's thread, which stops reading the browser's socket while the server is slow.
 *
 * <p>An idle console holds only a small heap buffer, since most consoles are idle most of the time. When the
 * server sends more than that at once, what it has sent is gathered in a large direct buffer borrowed from a
 * shared pool and goes out in chunks as large as what is waiting, until the server pauses. Direct buffers
 * save the two copies the JDK makes between heap buffers and sockets; large chunks save system calls and
 * thread wake-ups. Together they cut the relay's CPU time per megabyte by about a third (docs/benchmarks.md).
 */
final class ScreenRelay implements OpenConsole {

    static final int SMALL_BUFFER = 1024;
    static final int LARGE_BUFFER = 256 * 1024;
    private static final int POOLED_LARGE_BUFFERS = 64;
    private static final ConcurrentLinkedDeque<ByteBuffer> LARGE_POOL = new ConcurrentLinkedDeque<>();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(ScreenRelay.class);

    private final WebSocketSession browser;
    private final ConsoleGrant grant;
    private final String clientAddress;
    private final RfbClientFilter filter;
    private final Instant openedAt = Instant.now();
    private final ReentrantLock sending = new ReentrantLock();
    private final AtomicLong toBrowser = new AtomicLong();
    private final AtomicLong fromBrowser = new AtomicLong();
    private final AtomicReference<CloseReason> closed = new AtomicReference<>();
    private final CompletableFuture<Boolean> admitted = new CompletableFuture<>();
    private final Consumer<ScreenRelay> onClose;
    private volatile SocketChannel server;
    private volatile long lastSentNanos = System.nanoTime();

    ScreenRelay(WebSocketSession browser, ConsoleGrant grant, String clientAddress, Consumer<ScreenRelay> onClose) {
        this.browser = browser;
        this.grant = grant;
        this.clientAddress = clientAddress;
        this.filter = new RfbClientFilter(!grant.interactive());
        this.onClose = onClose;
    }

    /**
     * Whether the console may go ahead: false when its user is already at the limit. The relay finds and
     * connects to the display meanwhile, since that takes as long as registering the console (a libvirt call
     * here, a database write there), and starts relaying only once admitted.
     */
    void admit(boolean admitted) {
        this.admitted.complete(admitted);
    }

    /** Connects to the server and relays, once admitted, until either side ends; run on a virtual thread. */
    void run(DisplayLocator locator) {
        VncEndpoint endpoint;
        try {
            endpoint = locator.locate(grant.vm());
        } catch (DisplayLocator.Unavailable e) {
            log.info("Console of {} for {}: {}", grant.vmName(), grant.username(), e.getMessage());
            close(e.vmStopped() ? CloseReason.VM_STOPPED : CloseReason.DISPLAY_UNREACHABLE);
            return;
        }
        try (var channel = open(endpoint)) {
            // Nothing reaches the browser, either way, before the console is admitted.
            if (!admitted.join()) {
                return;
            }
            server = channel;
            if (closed.get() != null) {
                return;
            }
            pump(channel);
        } catch (IOException e) {
            if (closed.get() == null) {
                log.info(
                        "Console of {} for {}: display unreachable: {}",
                        grant.vmName(),
                        grant.username(),
                        e.toString());
            }
            close(CloseReason.DISPLAY_UNREACHABLE);
        }
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
        while (closed.get() == null) {
            // An idle console waits here, holding only the small buffer.
            if (channel.read(small.clear()) < 0) {
                close(CloseReason.VM_STOPPED); // QEMU closes the display when the guest stops or resets it
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
     * TCP socket's adaptor answers it on every JDK; for a UNIX socket the channel's stream does on recent ones
     * (JDK 25 here). Where it answers 0 the relay still works, only in small chunks.
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
            } while (sent && closed.get() == null && unread.available() > 0);
        } finally {
            // After a failed send the container may still hold the buffer: it must not carry another console.
            if (sent) {
                giveBack(large);
            }
        }
        return closed.get() == null;
    }

    /** @return false when the browser could not take it (the console is then closed) */
    private boolean send(ByteBuffer chunk) {
        int length = chunk.remaining();
        sending.lock();
        try {
            browser.sendMessage(new BinaryMessage(chunk, true));
            lastSentNanos = System.nanoTime();
            toBrowser.addAndGet(length);
            return true;
        } catch (IOException | IllegalStateException e) {
            close(isTimeout(e) ? CloseReason.TOO_SLOW : CloseReason.CLOSED_BY_USER);
            return false;
        } finally {
            sending.unlock();
        }
    }

    private static boolean isTimeout(Throwable e) {
        for (var cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException
                    || cause instanceof java.util.concurrent.TimeoutException
                    || String.valueOf(cause.getMessage())
                            .toLowerCase(java.util.Locale.ROOT)
                            .contains("timeout")) {
                return true;
            }
        }
        return false;
    }

    /** Bytes from the browser (any fragment of an RFB message); called by the container, one at a time. */
    void fromBrowser(ByteBuffer payload) {
        if (closed.get() != null) {
            return;
        }
        fromBrowser.addAndGet(payload.remaining());
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

    /** The browser closed the connection or it failed. */
    void browserGone() {
        close(CloseReason.CLOSED_BY_USER);
    }

    @Override
    public void close(CloseReason reason) {
        if (!closed.compareAndSet(null, reason)) {
            return;
        }
        admitted.complete(false);
        var channel = server;
        try {
            if (channel != null) {
                channel.close(); // wakes the reading thread
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        closeBrowser(reason);
        onClose.accept(this);
    }

    private void closeBrowser(CloseReason reason) {
        try {
            // Wait briefly for a send in progress, so the close frame does not interleave with it.
            boolean locked = sending.tryLock(2, TimeUnit.SECONDS);
            try {
                if (browser.isOpen()) {
                    browser.close(new CloseStatus(reason.code(), reason.text()));
                }
            } finally {
                if (locked) {
                    sending.unlock();
                }
            }
        } catch (IOException | IllegalStateException e) {
            log.debug("Closing the browser side of a console", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void keepAlive(Duration quietFor) {
        if (closed.get() != null || System.nanoTime() - lastSentNanos < quietFor.toNanos() || !sending.tryLock()) {
            return;
        }
        try {
            browser.sendMessage(new PingMessage());
            lastSentNanos = System.nanoTime();
        } catch (IOException | IllegalStateException e) {
            close(CloseReason.CLOSED_BY_USER);
        } finally {
            sending.unlock();
        }
    }

    CloseReason closeReason() {
        return closed.get();
    }

    @Override
    public ConsoleGrant grant() {
        return grant;
    }

    @Override
    public Instant openedAt() {
        return openedAt;
    }

    @Override
    public String clientAddress() {
        return clientAddress;
    }

    @Override
    public long bytesToBrowser() {
        return toBrowser.get();
    }

    @Override
    public long bytesFromBrowser() {
        return fromBrowser.get();
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
