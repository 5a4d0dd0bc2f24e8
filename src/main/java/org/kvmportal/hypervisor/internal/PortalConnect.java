package org.kvmportal.hypervisor.internal;

import com.sun.jna.Pointer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;

/**
 * A libvirt-java connection that hands its native pointer to our own JNA bindings, and that is closed only
 * once no call uses it any more: closing a connection while another thread is inside a call on it frees
 * memory under that call (seen as a SIGSEGV in libvirt's RPC client when keepalive dropped a hung host).
 */
final class PortalConnect extends Connect {

    private final AtomicInteger users = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean retired;
    private volatile Consumer<PortalConnect> closer;

    PortalConnect(String uri) throws LibvirtException {
        super(uri, false);
    }

    Pointer nativePointer() {
        return vcp.getPointer();
    }

    /** @return false when the connection is retired: the caller must not use it */
    boolean acquire() {
        users.incrementAndGet();
        if (retired) {
            release();
            return false;
        }
        return true;
    }

    void release() {
        if (users.decrementAndGet() == 0 && retired) {
            closeOnce();
        }
    }

    /** No new calls from now on; {@code closer} runs once the calls in flight have returned. */
    void retire(Consumer<PortalConnect> closer) {
        this.closer = closer;
        retired = true;
        if (users.get() == 0) {
            closeOnce();
        }
    }

    private void closeOnce() {
        var action = closer;
        if (action != null && closed.compareAndSet(false, true)) {
            action.accept(this);
        }
    }
}
