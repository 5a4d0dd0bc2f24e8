package org.kvmportal.provisioning;

/**
 * A new VM refused before anything was created; {@code field} names the form field to blame (see
 * {@link NewVmInput} for the names), or is empty when no one field is (the quota, for one).
 */
public class ProvisioningInputException extends RuntimeException {

    private final String field;

    public ProvisioningInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
