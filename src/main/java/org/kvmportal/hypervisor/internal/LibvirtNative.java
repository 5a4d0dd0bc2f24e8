package org.kvmportal.hypervisor.internal;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * The libvirt C calls that libvirt-java 0.5.4 does not wrap, bound directly with JNA. Kept as small as
 * possible: each method here is one C function, documented at libvirt.org under the same name.
 */
interface LibvirtNative extends Library {

    LibvirtNative INSTANCE = Native.load("virt", LibvirtNative.class);

    /** Fills {@code retStats} with a NULL-terminated array of {@code virDomainStatsRecordPtr}. */
    int virConnectGetAllDomainStats(Pointer conn, int stats, PointerByReference retStats, int flags);

    void virDomainStatsRecordListFree(Pointer stats);

    /** Writes the 36-character UUID plus NUL into {@code buf}. */
    int virDomainGetUUIDString(Pointer domain, byte[] buf);

    /** The hypervisor's id of a running domain, -1 for an inactive one; no round trip. */
    int virDomainGetID(Pointer domain);

    /** The name is owned by the domain object: do not free it. */
    String virDomainGetName(Pointer domain);

    String virGetLastErrorMessage();

    /** Returns a new reference that the caller frees with {@link #virDomainFree}; null when not found. */
    Pointer virDomainLookupByUUIDString(Pointer conn, String uuid);

    int virDomainFree(Pointer domain);

    /** 1 when running (or paused), 0 when not, -1 on error. */
    int virDomainIsActive(Pointer domain);

    /**
     * Starts sending a picture of {@code screen} on a new {@code stream}; returns its MIME type, which the
     * caller frees (C {@code free}), or null on error.
     */
    Pointer virDomainScreenshot(Pointer domain, Pointer stream, int screen, int flags);

    /** {@code flags}: {@link SerialStream#NONBLOCK} or 0. */
    Pointer virStreamNew(Pointer conn, int flags);

    /** {@code devName} null: the domain's first console, else its first serial device. */
    int virDomainOpenConsole(Pointer domain, String devName, Pointer stream, int flags);

    /** Called on libvirt's event loop thread with the {@code VIR_STREAM_EVENT_*} bits that are ready. */
    interface StreamEventCallback extends Callback {
        void invoke(Pointer stream, int events, Pointer opaque);
    }

    int virStreamEventAddCallback(
            Pointer stream, int events, StreamEventCallback callback, Pointer opaque, Pointer freeOpaque);

    int virStreamEventUpdateCallback(Pointer stream, int events);

    int virStreamEventRemoveCallback(Pointer stream);

    /** Bytes read; 0 at end of stream; -1 on error; -2 when a non-blocking stream has nothing yet. */
    int virStreamRecv(Pointer stream, Pointer data, long nbytes);

    /** Bytes queued; -1 on error; -2 when a non-blocking stream cannot take more yet. */
    int virStreamSend(Pointer stream, Pointer data, long nbytes);

    int virStreamFinish(Pointer stream);

    int virStreamAbort(Pointer stream);

    int virStreamFree(Pointer stream);
}
