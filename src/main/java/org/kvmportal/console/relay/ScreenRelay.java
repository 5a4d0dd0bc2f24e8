package org.kvmportal.console.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.time.Instant;
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
 * reading), so at most one chunk (64 KiB) waits per direction. Browser messages are written to the server on
 * the container's thread, which stops reading the browser's socket while the server is slow.
 *
 * <p>An idle console holds only a 4 KiB read buffer; a 64 KiB one is borrowed from a shared pool while the
 * screen changes fast, since most consoles are idle most of the time.
 */
final class ScreenRelay implements OpenConsole {

    static final int SMALL_BUFFER = 4 * 1024;
    static final int LARGE_BUFFER = 64 * 1024;
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
    private final Consumer<ScreenRelay> onClose;
    private final Duration sendTimeout;
    private volatile SocketChannel server;
    private volatile long lastSentNanos = System.nanoTime();
    private volatile long sendStartedNanos;

    ScreenRelay(
            WebSocketSession browser,
            ConsoleGrant grant,
            String clientAddress,
            Duration sendTimeout,
            Consumer<ScreenRelay> onClose) {
        this.sendTimeout = sendTimeout;
        this.browser = browser;
        this.grant = grant;
        this.clientAddress = clientAddress;
        this.filter = new RfbClientFilter(!grant.interactive());
        this.onClose = onClose;
    }

    /** Connects to the server and relays until either side ends; run on a virtual thread. */
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
        var small = ByteBuffer.allocate(SMALL_BUFFER);
        ByteBuffer large = null;
        try {
            while (closed.get() == null) {
                var buffer = large != null ? large : small;
                int read = channel.read(buffer.clear());
                if (read < 0) {
                    // QEMU closes the display when the guest stops or resets its VNC server.
                    close(CloseReason.VM_STOPPED);
                    return;
                }
                send(buffer.flip());
                if (large == null && read == SMALL_BUFFER) {
                    large = borrowLarge();
                } else if (large != null && read < LARGE_BUFFER / 4) {
                    giveBack(large);
                    large = null;
                }
            }
        } finally {
            if (large != null) {
                giveBack(large);
            }
        }
    }

    private void send(ByteBuffer chunk) {
        int length = chunk.remaining();
        sendStartedNanos = System.nanoTime();
        sending.lock();
        try {
            browser.sendMessage(new BinaryMessage(chunk, true));
            lastSentNanos = System.nanoTime();
            toBrowser.addAndGet(length);
        } catch (IOException | IllegalStateException e) {
            close(sendStalled() ? CloseReason.TOO_SLOW : CloseReason.CLOSED_BY_USER);
        } finally {
            sendStartedNanos = 0;
            sending.unlock();
        }
    }

    /**
     * Whether a send has been waiting for about the whole send timeout: then the browser stopped taking data,
     * rather than went away (a send to a closed connection fails at once). The container may report either
     * by failing the send or by closing the session, so both paths ask.
     */
    private boolean sendStalled() {
        long started = sendStartedNanos;
        return started != 0 && System.nanoTime() - started >= sendTimeout.toNanos() * 9 / 10;
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
        close(sendStalled() ? CloseReason.TOO_SLOW : CloseReason.CLOSED_BY_USER);
    }

    @Override
    public void close(CloseReason reason) {
        if (!closed.compareAndSet(null, reason)) {
            return;
        }
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
        return buffer != null ? buffer : ByteBuffer.allocate(LARGE_BUFFER);
    }

    private static void giveBack(ByteBuffer buffer) {
        if (LARGE_POOL.size() < POOLED_LARGE_BUFFERS) {
            LARGE_POOL.offerFirst(buffer);
        }
    }
}
