package org.kvmportal.hypervisor.internal;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.kvmportal.hypervisor.HypervisorException;
import org.kvmportal.hypervisor.SerialConsole;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A domain's serial console: {@code virDomainOpenConsole} on a non-blocking libvirt stream (ADR 0004).
 *
 * <p>Threads. It is opened on the host's pool thread. Reading and writing happen on libvirt's event loop
 * thread, in the stream's event callback, and never wait: a non-blocking {@code virStreamRecv} only takes
 * what the connection has already received. {@link #send} only queues and asks for WRITABLE events. The
 * listener is called without the lock; no thread ever waits for it.
 *
 * <p>Teardown happens once, in two steps: under the lock the console is marked closed and its callback
 * removed, after which no code of ours touches the stream; then, on the host's pool thread (it is a round
 * trip to the daemon), {@code virStreamFinish} or {@code virStreamAbort}, and {@code virStreamFree}. A
 * callback already dispatched when the first step runs finds the console closed and returns.
 */
final class SerialStream implements SerialConsole {

    /** {@code VIR_STREAM_NONBLOCK}. */
    static final int NONBLOCK = 1;

    /** {@code VIR_STREAM_EVENT_*}. */
    private static final int READABLE = 1;

    private static final int WRITABLE = 2;
    private static final int ERROR = 4;
    private static final int HANGUP = 8;

    /**
     * Neither {@code VIR_DOMAIN_CONSOLE_FORCE} nor {@code _SAFE}. QEMU allows one session per console; FORCE
     * would silently cut off whoever holds it (another tab, an admin in {@code virsh console}), and two tabs
     * would take it from each other in turn. Refusing and saying so is the honest answer. SAFE only makes a driver
     * that cannot guard its consoles refuse to open one; QEMU always guards them, so it would change nothing.
     */
    private static final int CONSOLE_FLAGS = 0;

    /** Keystrokes waiting for the stream beyond this mean the host is not taking them: refuse more. */
    static final int MAX_QUEUED_BYTES = 64 * 1024;

    private static final int BUFFER_BYTES = 16 * 1024;
    /** Read at most this much per dispatch, so that a chatty guest cannot starve other hosts' events. */
    private static final int MAX_READ_PER_EVENT = 256 * 1024;

    private static final Logger log = LoggerFactory.getLogger(SerialStream.class);
    private static final LibvirtNative lib = LibvirtNative.INSTANCE;

    /** Open consoles by the number libvirt hands back to the callback as its opaque pointer. */
    private static final Map<Long, SerialStream> OPEN = new ConcurrentHashMap<>();

    private static final AtomicLong ids = new AtomicLong();
    /**
     * One callback for every stream, in a static field: JNA callbacks must stay reachable for as long as
     * native code may call them, and a stray call for a closed console finds nothing in {@link #OPEN}.
     */
    private static final LibvirtNative.StreamEventCallback EVENTS = SerialStream::dispatch;

    private final long id = ids.incrementAndGet();
    private final String name;
    private final Pointer stream;
    private final Listener listener;
    private final Executor teardown;
    private final Consumer<SerialStream> afterFree;
    private final BooleanSupplier connectionAlive;
    private final Memory readBuffer = new Memory(BUFFER_BYTES);
    private final Memory writeBuffer = new Memory(BUFFER_BYTES);

    private final Object lock = new Object();
    // Guarded by lock:
    private boolean closed;
    private final ArrayDeque<byte[]> outgoing = new ArrayDeque<>();
    private int sentOfHead;
    private int queuedBytes;
    private boolean writableWanted;
    /** The event loop thread is inside {@code listener.received}, outside the lock. */
    private boolean delivering;
    /** The reason of an {@link #end} that came during a delivery, for the event thread to pass on after it. */
    private String closedWhileDelivering;

    private SerialStream(
            String name,
            Pointer stream,
            Listener listener,
            Executor teardown,
            Consumer<SerialStream> afterFree,
            BooleanSupplier connectionAlive) {
        this.name = name;
        this.stream = stream;
        this.listener = listener;
        this.teardown = teardown;
        this.afterFree = afterFree;
        this.connectionAlive = connectionAlive;
    }

    /**
     * Opens the console; call on the host's pool thread with the connection acquired.
     *
     * @param teardown runs the second teardown step (the host's pool)
     * @param afterFree runs once the stream is freed, on the teardown thread
     */
    static SerialStream open(
            PortalConnect connect,
            UUID uuid,
            String name,
            Listener listener,
            Executor teardown,
            Consumer<SerialStream> afterFree) {
        String action = "open the serial console of " + name;
        Pointer domain = lib.virDomainLookupByUUIDString(connect.nativePointer(), uuid.toString());
        if (domain == null) {
            throw LibvirtErrors.translateLast(action);
        }
        Pointer stream;
        try {
            stream = lib.virStreamNew(connect.nativePointer(), NONBLOCK);
            if (stream == null) {
                throw LibvirtErrors.translateLast(action);
            }
            if (lib.virDomainOpenConsole(domain, null, stream, CONSOLE_FLAGS) < 0) {
                var error = SerialConsoleErrors.openFailed(action, LibvirtErrors.lastError());
                lib.virStreamFree(stream); // as virsh does: a stream that never opened is only freed
                throw error;
            }
        } finally {
            lib.virDomainFree(domain);
        }
        var console = new SerialStream(name, stream, listener, teardown, afterFree, () -> isAlive(connect));
        OPEN.put(console.id, console);
        if (lib.virStreamEventAddCallback(stream, READABLE | ERROR | HANGUP, EVENTS, new Pointer(console.id), null)
                < 0) {
            var error = LibvirtErrors.translateLast(action);
            OPEN.remove(console.id);
            lib.virStreamAbort(stream);
            lib.virStreamFree(stream);
            throw error;
        }
        return console;
    }

    /** {@code virConnectIsAlive}: no round trip, so it may be asked from the event loop thread. */
    private static boolean isAlive(PortalConnect connect) {
        try {
            return connect.isAlive();
        } catch (LibvirtException e) {
            return false;
        }
    }

    @Override
    public void send(byte[] bytes) {
        synchronized (lock) {
            if (closed) {
                throw new HypervisorException("The serial console of " + name + " is closed.");
            }
            if (queuedBytes + bytes.length > MAX_QUEUED_BYTES) {
                throw new HypervisorException("The serial console of " + name
                        + " is not taking input fast enough (typing too fast?); wait a moment and type again.");
            }
            if (bytes.length == 0) {
                return;
            }
            outgoing.add(bytes.clone());
            queuedBytes += bytes.length;
            if (!writableWanted) {
                writableWanted = true;
                watch(READABLE | WRITABLE | ERROR | HANGUP);
            }
        }
    }

    @Override
    public void close() {
        end("The serial console was closed.", false);
    }

    /**
     * Ends the console: idempotent, from any thread, never waits for the listener. The listener gets
     * {@code closed(reason)} once: here, or, while the event thread is inside {@code received}, from that
     * thread right after it, so that no output ever follows {@code closed}.
     */
    void end(String reason, boolean graceful) {
        boolean notifyNow;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            OPEN.remove(id);
            lib.virStreamEventRemoveCallback(stream);
            outgoing.clear();
            queuedBytes = 0;
            notifyNow = !delivering;
            if (delivering) {
                closedWhileDelivering = reason;
            }
        }
        teardown.execute(() -> free(graceful));
        if (notifyNow) {
            notifyClosed(reason);
        }
    }

    private void notifyClosed(String reason) {
        try {
            listener.closed(reason);
        } catch (RuntimeException e) {
            log.warn("Serial console listener of {} failed on close", name, e);
        }
    }

    private void free(boolean graceful) {
        try {
            // Finish after the guest's end of stream (the daemon expects that handshake), abort otherwise;
            // either fails fast, without harm, on a connection that is already gone.
            if ((graceful ? lib.virStreamFinish(stream) : lib.virStreamAbort(stream)) < 0) {
                log.debug("Closing the serial console stream of {}: {}", name, LibvirtErrors.lastError());
            }
        } finally {
            lib.virStreamFree(stream);
            afterFree.accept(this);
        }
    }

    private static void dispatch(Pointer stream, int events, Pointer opaque) {
        var console = OPEN.get(Pointer.nativeValue(opaque));
        if (console == null) {
            return;
        }
        try {
            console.onEvents(events);
        } catch (RuntimeException | Error e) {
            // Never let an exception unwind into libvirt's event loop.
            log.error("Serial console event of {} failed", console.name, e);
        }
    }

    private void onEvents(int events) {
        // Read on every event: the end of the stream and errors show up as a read of 0 or -1.
        for (int total = 0; total < MAX_READ_PER_EVENT; ) {
            byte[] chunk = null;
            String ending = null;
            boolean graceful = false;
            synchronized (lock) {
                if (closed) {
                    return;
                }
                int read = lib.virStreamRecv(stream, readBuffer, BUFFER_BYTES);
                if (read == -2) {
                    break; // nothing more received yet
                } else if (read == 0) {
                    ending = "The serial console closed: the virtual machine stopped or released its console.";
                    graceful = true;
                } else if (read < 0) {
                    ending = SerialConsoleErrors.ended(LibvirtErrors.lastError(), connectionAlive.getAsBoolean());
                } else {
                    chunk = readBuffer.getByteArray(0, read);
                    delivering = true;
                }
            }
            if (ending != null) {
                end(ending, graceful);
                return;
            }
            total += chunk.length;
            deliver(chunk);
            if (deliveredAndClosed()) {
                return;
            }
        }
        String ending;
        synchronized (lock) {
            if (closed || (events & WRITABLE) == 0) {
                return;
            }
            ending = flush();
        }
        if (ending != null) {
            end(ending, false);
        }
    }

    /** Sends what is queued; returns why the console ended, or null. Called with the lock held. */
    private String flush() {
        while (!outgoing.isEmpty()) {
            byte[] head = outgoing.peek();
            int length = Math.min(head.length - sentOfHead, BUFFER_BYTES);
            writeBuffer.write(0, head, sentOfHead, length);
            int sent = lib.virStreamSend(stream, writeBuffer, length);
            if (sent == -2) {
                return null; // the stream is full: the rest goes on the next WRITABLE event
            }
            if (sent < 0) {
                return SerialConsoleErrors.ended(LibvirtErrors.lastError(), connectionAlive.getAsBoolean());
            }
            sentOfHead += sent;
            queuedBytes -= sent;
            if (sentOfHead == head.length) {
                outgoing.poll();
                sentOfHead = 0;
            }
        }
        // A remote stream is always writable, so WRITABLE would fire on every loop turn: ask for it only while
        // there is something to send.
        writableWanted = false;
        watch(READABLE | ERROR | HANGUP);
        return null;
    }

    /**
     * Called without the lock, so that a listener that waits for a thread calling {@link #send} (say, a UI
     * lock) cannot deadlock; output stays in order because only the event loop thread delivers it.
     */
    private void deliver(byte[] bytes) {
        try {
            listener.received(bytes);
        } catch (RuntimeException e) {
            log.warn("Serial console listener of {} failed", name, e);
        }
    }

    /** After a delivery: true when the console was closed meanwhile, whose closed() is then delivered here. */
    private boolean deliveredAndClosed() {
        String reason;
        synchronized (lock) {
            delivering = false;
            if (!closed) {
                return false;
            }
            reason = closedWhileDelivering;
            closedWhileDelivering = null;
        }
        if (reason != null) {
            notifyClosed(reason);
        }
        return true;
    }

    private void watch(int events) {
        if (lib.virStreamEventUpdateCallback(stream, events) < 0) {
            log.debug(
                    "Serial console of {}: events {} not set: {}",
                    name,
                    Integer.toString(events, 2),
                    LibvirtErrors.lastError());
        }
    }
}
