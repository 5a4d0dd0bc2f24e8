package org.kvmportal.hypervisor.internal;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * The libvirt C calls domain editing needs that libvirt-java 0.5.4 does not wrap; each method is one C function
 * of the same name (documented at libvirt.org). Apart from {@link LibvirtNative} so that features keep their
 * bindings to themselves.
 */
interface DomainEditNative extends Library {

    DomainEditNative INSTANCE = Native.load("virt", DomainEditNative.class);

    /** libvirt's {@code VIR_DOMAIN_DEFINE_VALIDATE}: check the XML against libvirt's schema first. */
    int DEFINE_VALIDATE = 1;

    /** Returns a new domain reference (free it with {@code virDomainFree}), or null on error. */
    Pointer virDomainDefineXMLFlags(Pointer conn, String xml, int flags);

    /** {@code memory} in KiB; {@code flags} {@code VIR_DOMAIN_AFFECT_*}. 0 on success, -1 on error. */
    int virDomainSetMemoryFlags(Pointer domain, NativeLong memory, int flags);

    /** The domain capabilities XML, which the caller frees (C {@code free}); null on error or no support. */
    Pointer virConnectGetDomainCapabilities(
            Pointer conn, String emulatorbin, String arch, String machine, String virttype, int flags);
}
