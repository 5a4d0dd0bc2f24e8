package org.kvmportal.hypervisor.internal;

import org.kvmportal.hypervisor.HostFacts;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;

final class HostFactsReader {

    private HostFactsReader() {}

    static HostFacts read(Connect connect) throws LibvirtException {
        var node = connect.nodeInfo();
        return new HostFacts(
                connect.getHostName(),
                connect.getType() + " " + version(connect.getVersion()),
                version(connect.getLibVersion()),
                node.cpus,
                node.memory,
                freeMemoryKiB(connect));
    }

    /** Some drivers (libvirt's test driver with a host file, for one) cannot tell: -1 then. */
    private static long freeMemoryKiB(Connect connect) {
        try {
            return connect.getFreeMemory() / 1024;
        } catch (LibvirtException e) {
            return -1;
        }
    }

    /** libvirt encodes versions as major * 1,000,000 + minor * 1,000 + release. */
    private static String version(long encoded) {
        return (encoded / 1_000_000) + "." + (encoded / 1_000 % 1_000) + "." + (encoded % 1_000);
    }
}
