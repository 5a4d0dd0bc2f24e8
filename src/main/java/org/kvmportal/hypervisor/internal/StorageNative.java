package org.kvmportal.hypervisor.internal;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * The storage and network calls libvirt-java 0.5.4 does not wrap (or wraps without access to the stream's
 * pointer), bound with JNA. Each method is one C function, documented at libvirt.org under the same name.
 */
interface StorageNative extends Library {

    StorageNative INSTANCE = Native.load("virt", StorageNative.class);

    /** A new reference, freed with {@link #virStoragePoolFree}; null when not found. */
    Pointer virStoragePoolLookupByName(Pointer conn, String name);

    int virStoragePoolFree(Pointer pool);

    /** A new reference, freed with {@link #virStorageVolFree}; null when not found. */
    Pointer virStorageVolLookupByName(Pointer pool, String name);

    int virStorageVolFree(Pointer volume);

    /** Starts writing {@code length} bytes from {@code offset} of the volume from {@code stream}'s data. */
    int virStorageVolUpload(Pointer volume, Pointer stream, long offset, long length, int flags);

    /** A new reference, freed with {@link #virNetworkFree}; null when not found. */
    Pointer virNetworkLookupByName(Pointer conn, String name);

    int virNetworkFree(Pointer network);

    /**
     * Fills {@code leases} with an array of {@code virNetworkDHCPLeasePtr} (each freed with
     * {@link #virNetworkDHCPLeaseFree}, the array with C {@code free}); returns their count or -1.
     */
    int virNetworkGetDHCPLeases(Pointer network, String mac, PointerByReference leases, int flags);

    void virNetworkDHCPLeaseFree(Pointer lease);
}
