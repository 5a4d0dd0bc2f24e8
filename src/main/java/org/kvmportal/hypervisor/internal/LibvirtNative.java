package org.kvmportal.hypervisor.internal;

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
}
