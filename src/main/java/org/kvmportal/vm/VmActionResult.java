package org.kvmportal.vm;

import org.kvmportal.hypervisor.DomainRef;

/** How one VM's action ended; {@code error} is null on success and a readable reason otherwise. */
public record VmActionResult(DomainRef ref, String name, String error) {

    public boolean succeeded() {
        return error == null;
    }
}
