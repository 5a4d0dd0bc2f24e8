package org.kvmportal.hypervisor.internal;

import com.sun.jna.Pointer;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;

/** A libvirt-java connection that also hands its native pointer to our own JNA bindings. */
final class PortalConnect extends Connect {

    PortalConnect(String uri) throws LibvirtException {
        super(uri, false);
    }

    Pointer nativePointer() {
        return vcp.getPointer();
    }
}
