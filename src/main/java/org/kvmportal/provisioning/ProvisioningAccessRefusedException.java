package org.kvmportal.provisioning;

import org.kvmportal.base.AccessRefusal;

/**
 * A new VM or clone refused because the person may not use what they chose (a VM that is not theirs to
 * manage, a template not offered to them, a source only admins use) or may not create VMs at all now.
 */
public class ProvisioningAccessRefusedException extends ProvisioningInputException implements AccessRefusal {

    public ProvisioningAccessRefusedException(String field, String message) {
        super(field, message);
    }
}
