package org.kvmportal.provisioning;

import org.kvmportal.base.InputRefusedException;

/**
 * A new VM refused before anything was created; {@code field} names the form field to blame (see
 * {@link NewVmInput} for the names), or is empty when no one field is (the quota, for one).
 */
public class ProvisioningInputException extends InputRefusedException {

    public ProvisioningInputException(String field, String message) {
        super(field, message);
    }
}
