package org.kvmportal.hypervisor.internal;

import org.libvirt.LibvirtException;

/** One unit of work against a host's libvirt connection, run on that host's thread pool. */
@FunctionalInterface
interface HostCall<T> {
    T apply(PortalConnect connect) throws LibvirtException;
}
