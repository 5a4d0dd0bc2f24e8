package org.kvmportal.vm;

import java.util.Optional;
import org.kvmportal.hypervisor.DomainRef;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/** Every {@link VmProtection} other features declare, asked as one. */
@Component
class VmProtections {

    private final ObjectProvider<VmProtection> protections;

    VmProtections(ObjectProvider<VmProtection> protections) {
        this.protections = protections;
    }

    /** The first reason any protection gives why this VM must not run or be reverted. */
    Optional<String> reason(DomainRef vm, String vmName) {
        return protections
                .orderedStream()
                .flatMap(protection -> protection.reason(vm, vmName).stream())
                .findFirst();
    }
}
