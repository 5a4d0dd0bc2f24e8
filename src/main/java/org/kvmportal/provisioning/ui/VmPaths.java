package org.kvmportal.provisioning.ui;

import org.kvmportal.hypervisor.DomainRef;

/** The vm feature's page of a VM, by path: provisioning depends on vm, never the other way round. */
final class VmPaths {

    private VmPaths() {}

    static String details(DomainRef ref) {
        return "vms/" + ref.host() + "/" + ref.uuid();
    }
}
