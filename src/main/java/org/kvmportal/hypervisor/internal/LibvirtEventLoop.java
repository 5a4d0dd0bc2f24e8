package org.kvmportal.hypervisor.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import org.libvirt.Connect;
import org.libvirt.Library;
import org.libvirt.LibvirtException;
import org.libvirt.jna.Libvirt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libvirt's default event loop, started once per JVM before the first connection.
 *
 * <p>Keepalive, close callbacks and domain events are all dispatched by this loop; without it
 * {@code setKeepAlive} fails and no event ever arrives. libvirt allows one registration per process, so
 * the guard is static even when several Spring contexts (tests) share the JVM.
 */
final class LibvirtEventLoop {

    private static final Logger log = LoggerFactory.getLogger(LibvirtEventLoop.class);
    private static final AtomicBoolean started = new AtomicBoolean();

    /**
     * libvirt prints every error to stderr unless a handler is set. Our callers get each error as a
     * {@code HypervisorException} already, so the handler only keeps them for debug logging. Held in a field:
     * JNA callbacks must stay reachable for as long as native code may call them.
     */
    private static final Libvirt.VirErrorCallback ERRORS_TO_DEBUG_LOG =
            (userData, error) -> log.debug("libvirt: {}", error.message);

    private LibvirtEventLoop() {}

    static void ensureStarted() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        try {
            Connect.setErrorCallback(ERRORS_TO_DEBUG_LOG);
            Library.initEventLoop();
        } catch (LibvirtException e) {
            started.set(false);
            throw LibvirtErrors.translate("start libvirt's event loop", e);
        }
        var thread = new Thread(LibvirtEventLoop::run, "libvirt-event-loop");
        thread.setDaemon(true);
        thread.start();
    }

    private static void run() {
        try {
            Library.runEventLoop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (LibvirtException e) {
            log.error("libvirt event loop stopped: {}", e.getMessage());
        }
    }
}
