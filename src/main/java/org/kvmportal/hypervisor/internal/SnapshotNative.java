package org.kvmportal.hypervisor.internal;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * The snapshot calls of libvirt's C API, bound with JNA: libvirt-java 0.5.4 lists snapshot names only and fixes
 * the flags of the others. Kept apart from {@link LibvirtNative} so that each libvirt area owns its bindings.
 *
 * <p>Strings go in as NUL-terminated UTF-8 bytes and come out as pointers decoded as UTF-8 by {@link
 * NativeStrings}: JNA's own conversion uses the JVM's native encoding, which is ASCII on a host without a
 * locale, and would turn a description's accents into question marks.
 */
interface SnapshotNative extends Library {

    SnapshotNative INSTANCE = Native.load("virt", SnapshotNative.class);

    /** {@code virDomainSnapshotCreateXML}: the disks only, in overlay files (an external snapshot). */
    int CREATE_DISK_ONLY = 16;
    /** {@code virDomainSnapshotCreateXML}: all disks or none, never some. */
    int CREATE_ATOMIC = 128;
    /** {@code virDomainRevertToSnapshot}: run the domain afterwards, even if the snapshot has it shut off. */
    int REVERT_RUNNING = 1;

    /** A new reference that the caller frees with {@link #virDomainFree}; null when not found. */
    Pointer virDomainLookupByUUIDString(Pointer conn, String uuid);

    int virDomainFree(Pointer domain);

    /** The domain's XML (the running definition while it runs); the caller frees it. */
    Pointer virDomainGetXMLDesc(Pointer domain, int flags);

    /** Fills {@code snaps} with a NULL-terminated array the caller frees, each element with virDomainSnapshotFree. */
    int virDomainListAllSnapshots(Pointer domain, PointerByReference snaps, int flags);

    /** The caller frees the returned string. */
    Pointer virDomainSnapshotGetXMLDesc(Pointer snapshot, int flags);

    /** Owned by the snapshot object: not freed. */
    Pointer virDomainSnapshotGetName(Pointer snapshot);

    /** The current snapshot, or null with {@code VIR_ERR_NO_DOMAIN_SNAPSHOT} when there is none. */
    Pointer virDomainSnapshotCurrent(Pointer domain, int flags);

    Pointer virDomainSnapshotCreateXML(Pointer domain, byte[] xml, int flags);

    Pointer virDomainSnapshotLookupByName(Pointer domain, byte[] name, int flags);

    int virDomainRevertToSnapshot(Pointer snapshot, int flags);

    int virDomainSnapshotDelete(Pointer snapshot, int flags);

    int virDomainSnapshotFree(Pointer snapshot);
}
