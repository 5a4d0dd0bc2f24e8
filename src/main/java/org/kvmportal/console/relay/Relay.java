package org.kvmportal.console.relay;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.kvmportal.console.CloseReason;
import org.kvmportal.console.ConsoleGrant;
import org.kvmportal.console.OpenConsole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The browser side of one console connection, whatever sits on the other side: sends that a stalled browser
 * times out, pings, byte counts, and a close that happens once, with its reason, on both sides.
 */
abstract class Relay implements OpenConsole {

    /**
     * The browser's messages are read into a buffer of this size once one did not fit the session's small
     * default (see {@link #fromBrowser(ByteBuffer, boolean)}).
     */
    static final int LARGE_INPUT = 64 * 1024;

    private static final Duration CLOSE_WAITS_FOR_SEND = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(Relay.class);

    protected final ConsoleGrant grant;
    private final BrowserSocket browser;
    private final String clientAddress;
    private final Duration sendTimeout;
    private final Consumer<Relay> onClose;
    private final CompletableFuture<? extends Closeable> farSide;
    private final Instant openedAt = Instant.now();
    /** A message, ping or close frame is on its way to the browser: the socket takes one at a time. */
    private final AtomicBoolean sending = new AtomicBoolean();
    /** A message that waits for a ping to go out first. */
    private final AtomicReference<Outgoing> waiting = new AtomicReference<>();

    private final AtomicLong toBrowser = new AtomicLong();
    private final AtomicLong fromBrowser = new AtomicLong();
    private final AtomicReference<CloseReason> closed = new AtomicReference<>();
    private final CompletableFuture<Boolean> admitted = new CompletableFuture<>();
    private final int smallInput;
    private volatile long largeInputNanos;
    private volatile long lastSentNanos = System.nanoTime();
    private volatile long sendStartedNanos;

    Relay(RelayContext context) {
        this.browser = context.browser();
        this.grant = context.grant();
        this.clientAddress = context.clientAddress();
        this.sendTimeout = context.sendTimeout();
        this.onClose = context.onClose();
        this.farSide = context.farSide();
        this.smallInput = browser.inputBufferSize();
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

    /** Completes with true once the console is admitted, false when it may not go ahead. */
    CompletableFuture<Boolean> admission() {
        return admitted;
    }

    /** The far side's connection the handshake began (see {@link TicketHandshake}); null if it began none. */
    @SuppressWarnings("unchecked")
    <T extends Closeable> CompletableFuture<T> farSide() {
        return (CompletableFuture<T>) farSide;
    }

    /**
     * Takes a part of a browser message; called by the container, one at a time. A browser's own messages are
     * a few bytes (keys, pointer), so the session reads them into a small buffer, and a larger message (a
     * clipboard paste, say) comes in parts of that size, each a write of its own to the far side: sixteen for
     * 64 KiB. Once one does, the session reads the next ones into a large buffer, and it goes back to the
     * small one when large messages have stopped for a while (see {@link #keepAlive}); idle consoles, most of
     * them, keep the small one.
     */
    final void fromBrowser(ByteBuffer part, boolean last) {
        fromBrowser.addAndGet(part.remaining());
        if (!last) {
            largeInputNanos = System.nanoTime();
            if (browser.inputBufferSize() < LARGE_INPUT) {
                browser.inputBufferSize(LARGE_INPUT); // from the next message on
            }
        }
        fromBrowser(part);
    }

    /** Bytes from the browser, any part of a message. */
    abstract void fromBrowser(ByteBuffer payload);

    /** Releases the far side; called once, by {@link #close}. */
    abstract void closeFarSide();

    boolean isClosed() {
        return closed.get() != null;
    }

    /**
     * Starts sending a chunk to the browser and returns at once. {@code sent} is told true once the browser
     * took it, false when it could not (the console is then closed): after a browser stopped reading, at the
     * send timeout. The chunk is the browser's until then; the caller sends nothing else meanwhile.
     */
    void send(ByteBuffer chunk, Consumer<Boolean> sent) {
        waiting.set(new Outgoing(chunk, sent));
        sendWaiting();
        if (isClosed()) {
            dropWaiting(); // the close frame has the socket now (see closeBrowser)
        }
    }

    private void dropWaiting() {
        var dropped = waiting.getAndSet(null);
        if (dropped != null) {
            dropped.sent().accept(false);
        }
    }

    /** Sends a chunk and waits until the browser took it, or the console closed (at most the send timeout). */
    void sendAndWait(ByteBuffer chunk) {
        var done = new CompletableFuture<Boolean>();
        send(chunk, done::complete);
        done.join();
    }

    /** Sends the waiting message unless a ping is on its way, whose end sends it. */
    private void sendWaiting() {
        while (waiting.get() != null && sending.compareAndSet(false, true)) {
            var next = waiting.getAndSet(null);
            if (next != null) {
                transmit(next);
                return;
            }
            sending.set(false);
        }
    }

    private void transmit(Outgoing message) {
        if (isClosed()) {
            sent(message, false);
            return;
        }
        int length = message.chunk().remaining();
        sendStartedNanos = System.nanoTime();
        try {
            browser.send(message.chunk(), failure -> {
                if (failure == null) {
                    lastSentNanos = System.nanoTime();
                    toBrowser.addAndGet(length);
                    sendStartedNanos = 0;
                    sent(message, true);
                } else {
                    failed(message, sendStalled() ? CloseReason.TOO_SLOW : CloseReason.CLOSED_BY_USER);
                }
            });
        } catch (IllegalStateException closedMeanwhile) {
            failed(message, CloseReason.CLOSED_BY_USER);
        }
    }

    /** The socket is free again before the close, whose close frame needs it. */
    private void failed(Outgoing message, CloseReason reason) {
        sending.set(false);
        close(reason);
        message.sent().accept(false);
    }

    private void sent(Outgoing message, boolean taken) {
        sending.set(false);
        sendWaiting();
        message.sent().accept(taken);
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

    /**
     * Ends the console: the far side, then the browser's side with the reason's close code. The close frame
     * goes out before this returns (it may wait briefly for a message on its way), so that it is the one the
     * browser gets, also when the container would close the connection itself right after (at sign-out, with
     * a code of its own); on a display loop, which must never wait, it goes out on a thread of its own.
     */
    @Override
    public void close(CloseReason reason) {
        if (!closed.compareAndSet(null, reason)) {
            return;
        }
        admitted.complete(false);
        closeFarSide();
        if (DisplayLoops.onALoop()) {
            Thread.ofVirtual().name("console-close").start(() -> closeBrowser(reason));
        } else {
            closeBrowser(reason);
        }
        onClose.accept(this);
    }

    CloseReason closeReason() {
        return closed.get();
    }

    private void closeBrowser(CloseReason reason) {
        try {
            // Wait briefly for a message on its way, so the close frame does not interleave with it.
            long deadline = System.nanoTime() + CLOSE_WAITS_FOR_SEND.toNanos();
            while (!sending.compareAndSet(false, true) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            dropWaiting(); // the socket stays taken: nothing goes out after the close frame
            if (browser.isOpen()) {
                browser.close(reason.code(), reason.text());
            }
        } catch (IOException | IllegalStateException e) {
            log.debug("Closing the browser side of a console", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void keepAlive(Duration quietFor) {
        if (browser.inputBufferSize() > smallInput && System.nanoTime() - largeInputNanos > quietFor.toNanos()) {
            browser.inputBufferSize(smallInput);
        }
        if (isClosed()
                || System.nanoTime() - lastSentNanos < quietFor.toNanos()
                || !sending.compareAndSet(false, true)) {
            return;
        }
        boolean pinged;
        try {
            browser.ping();
            lastSentNanos = System.nanoTime();
            pinged = true;
        } catch (IOException | IllegalStateException e) {
            pinged = false;
        } finally {
            sending.set(false);
            sendWaiting();
        }
        if (!pinged) {
            close(CloseReason.CLOSED_BY_USER); // once the socket is free for the close frame
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

    private record Outgoing(ByteBuffer chunk, Consumer<Boolean> sent) {}

    /**
     * What every relay is made from.
     *
     * @param farSide the far side's connection the handshake began; null if it began none
     */
    record RelayContext(
            BrowserSocket browser,
            ConsoleGrant grant,
            String clientAddress,
            Duration sendTimeout,
            Consumer<Relay> onClose,
            CompletableFuture<? extends Closeable> farSide) {}
}
