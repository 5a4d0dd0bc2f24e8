package org.kvmportal.console.relay;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.kvmportal.console.CloseReason;
import org.kvmportal.console.ConsoleGrant;
import org.kvmportal.console.OpenConsole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * The browser side of one console connection, whatever sits on the other side: blocking sends that a stalled
 * browser times out, pings, byte counts, and a close that happens once, with its reason, on both sides.
 */
abstract class Relay implements OpenConsole {

    private static final Logger log = LoggerFactory.getLogger(Relay.class);

    protected final ConsoleGrant grant;
    private final WebSocketSession browser;
    private final String clientAddress;
    private final Duration sendTimeout;
    private final Consumer<Relay> onClose;
    private final Instant openedAt = Instant.now();
    private final ReentrantLock sending = new ReentrantLock();
    private final AtomicLong toBrowser = new AtomicLong();
    private final AtomicLong fromBrowser = new AtomicLong();
    private final AtomicReference<CloseReason> closed = new AtomicReference<>();
    private final CompletableFuture<Boolean> admitted = new CompletableFuture<>();
    private volatile long lastSentNanos = System.nanoTime();
    private volatile long sendStartedNanos;

    Relay(RelayContext context) {
        this.browser = context.browser();
        this.grant = context.grant();
        this.clientAddress = context.clientAddress();
        this.sendTimeout = context.sendTimeout();
        this.onClose = context.onClose();
    }

    /** Connects the far side and starts relaying; must not block the container's thread. */
    abstract void start();

    /**
     * Whether the console may go ahead: false when its user is already at the limit. The relay starts
     * connecting its far side (a libvirt call, then a connect) before the answer, and relays only once admitted.
     */
    void admit(boolean admitted) {
        this.admitted.complete(admitted);
    }

    /** Waits until the console is admitted or refused; false when it may not go ahead. */
    boolean awaitAdmission() {
        return admitted.join();
    }

    /** Bytes from the browser, any fragment of a message; called by the container, one at a time. */
    abstract void fromBrowser(ByteBuffer payload);

    /** Releases the far side; called once, by {@link #close}. */
    abstract void closeFarSide();

    boolean isClosed() {
        return closed.get() != null;
    }

    void countFromBrowser(int bytes) {
        fromBrowser.addAndGet(bytes);
    }

    /**
     * Sends a chunk to the browser, waiting while it is slow, at most the send timeout.
     *
     * @return false when the browser could not take it (the console is then closed)
     */
    boolean send(ByteBuffer chunk) {
        int length = chunk.remaining();
        sending.lock();
        sendStartedNanos = System.nanoTime();
        try {
            browser.sendMessage(new BinaryMessage(chunk, true));
            lastSentNanos = System.nanoTime();
            toBrowser.addAndGet(length);
            return true;
        } catch (IOException | IllegalStateException e) {
            close(sendStalled() ? CloseReason.TOO_SLOW : CloseReason.CLOSED_BY_USER);
            return false;
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

    /** The browser closed the connection or it failed. */
    void browserGone() {
        close(sendStalled() ? CloseReason.TOO_SLOW : CloseReason.CLOSED_BY_USER);
    }

    @Override
    public void close(CloseReason reason) {
        if (!closed.compareAndSet(null, reason)) {
            return;
        }
        admitted.complete(false);
        closeFarSide();
        closeBrowser(reason);
        onClose.accept(this);
    }

    CloseReason closeReason() {
        return closed.get();
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
        if (isClosed() || System.nanoTime() - lastSentNanos < quietFor.toNanos() || !sending.tryLock()) {
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

    /** What every relay is made from. */
    record RelayContext(
            WebSocketSession browser,
            ConsoleGrant grant,
            String clientAddress,
            Duration sendTimeout,
            Consumer<Relay> onClose) {}
}
