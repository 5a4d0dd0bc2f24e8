package org.kvmportal.console.relay;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.kvmportal.console.CloseReason;
import org.kvmportal.hypervisor.Hypervisor;
import org.kvmportal.hypervisor.HypervisorException;
import org.kvmportal.hypervisor.SerialConsole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One browser's connection to a VM's serial console, through libvirt. The guest's output arrives on
 * libvirt's event thread, which must never wait for a browser: it is queued (at most 1 MiB, beyond which
 * the browser is too slow and is disconnected) and a virtual thread sends it on. Keystrokes of a view-only
 * viewer are dropped.
 */
final class SerialRelay extends Relay implements SerialConsole.Listener {

    private static final long MAX_QUEUED_BYTES = 1 << 20;
    private static final byte[] END = new byte[0];
    private static final int MAX_TYPED_EARLY = 4 * 1024;

    private static final Logger log = LoggerFactory.getLogger(SerialRelay.class);

    private final Hypervisor hypervisor;
    private final LinkedBlockingQueue<byte[]> toBrowser = new LinkedBlockingQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private volatile SerialConsole console;
    private final ByteArrayOutputStream typedEarly = new ByteArrayOutputStream();

    SerialRelay(RelayContext context, Hypervisor hypervisor) {
        super(context);
        this.hypervisor = hypervisor;
    }

    @Override
    void start() {
        Thread.ofVirtual().name("serial-" + grant.vmName()).start(this::forwardOutput);
        hypervisor.openSerialConsole(grant.vm(), this).whenComplete((opened, error) -> {
            if (error != null) {
                log.info("Serial console of {} for {}: {}", grant.vmName(), grant.username(), error.getMessage());
                close(reasonFor(String.valueOf(error.getMessage())));
                return;
            }
            synchronized (this) {
                console = opened;
                if (!isClosed() && typedEarly.size() > 0) {
                    sendToGuest(opened, typedEarly.toByteArray());
                }
                typedEarly.reset();
            }
            if (isClosed()) {
                opened.close(); // the browser left while libvirt was opening it
            }
        });
    }

    private void forwardOutput() {
        if (!admission().join()) {
            return;
        }
        try {
            while (!isClosed()) {
                byte[] bytes = toBrowser.poll(1, TimeUnit.SECONDS);
                if (bytes == END) {
                    return;
                }
                if (bytes != null) {
                    queuedBytes.addAndGet(-bytes.length);
                    sendAndWait(ByteBuffer.wrap(bytes));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void received(byte[] bytes) {
        if (queuedBytes.addAndGet(bytes.length) > MAX_QUEUED_BYTES) {
            close(CloseReason.TOO_SLOW);
            return;
        }
        toBrowser.offer(bytes);
    }

    @Override
    public void closed(String reason) {
        close(reasonFor(reason));
    }

    /** libvirt's reasons are sentences for people; the browser needs a close code to decide on retrying. */
    private static CloseReason reasonFor(String message) {
        String text = message.toLowerCase(Locale.ROOT);
        if (text.contains("in use")) {
            return CloseReason.SERIAL_IN_USE;
        }
        if (text.contains("host connection") || text.contains("connection lost")) {
            return CloseReason.HOST_LOST;
        }
        if (text.contains("not running") || text.contains("stopped") || text.contains("no longer exists")) {
            return CloseReason.VM_STOPPED;
        }
        return text.contains("closed") ? CloseReason.VM_STOPPED : CloseReason.DISPLAY_UNREACHABLE;
    }

    @Override
    void fromBrowser(ByteBuffer payload) {
        if (isClosed() || !grant.interactive()) {
            return; // view-only viewers watch
        }
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        synchronized (this) {
            if (console == null) {
                // Typed while libvirt is still opening the console: kept (a little) and sent once it is open.
                if (typedEarly.size() + bytes.length <= MAX_TYPED_EARLY) {
                    typedEarly.writeBytes(bytes);
                }
                return;
            }
        }
        sendToGuest(console, bytes);
    }

    private void sendToGuest(SerialConsole open, byte[] bytes) {
        try {
            open.send(bytes);
        } catch (HypervisorException e) {
            log.info("Serial console of {} for {}: {}", grant.vmName(), grant.username(), e.getMessage());
        }
    }

    @Override
    void closeFarSide() {
        toBrowser.offer(END);
        var open = console;
        if (open != null) {
            open.close();
        }
    }
}
