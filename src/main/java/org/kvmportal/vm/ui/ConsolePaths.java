package org.kvmportal.vm.ui;

import org.kvmportal.hypervisor.DomainRef;

/** Where a VM's console opens. By path, not class: the console feature depends on this one, not back. */
final class ConsolePaths {

    private ConsolePaths() {}

    static String of(DomainRef vm) {
        return "vms/" + vm.host() + "/" + vm.uuid() + "/console";
    }
}
