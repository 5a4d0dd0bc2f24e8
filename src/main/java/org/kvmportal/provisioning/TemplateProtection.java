package org.kvmportal.provisioning;

import java.util.Optional;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.vm.VmProtection;
import org.springframework.stereotype.Component;

/**
 * A template never runs and never goes back to a snapshot: its disk is the backing file of every linked clone
 * made from it, and a write to it would silently change (corrupt) all of their disks. Unmarking it as a
 * template lifts this, for an admin who knows it has no linked clones left.
 */
@Component
class TemplateProtection implements VmProtection {

    private final VmTemplates templates;

    TemplateProtection(VmTemplates templates) {
        this.templates = templates;
    }

    @Override
    public Optional<String> reason(DomainRef vm, String vmName) {
        return templates.isTemplate(vm)
                ? Optional.of(vmName + " is a template: VMs cloned from it read its disk, so it must not change. "
                        + "Create a VM from it instead, or unmark it as a template first.")
                : Optional.empty();
    }
}
