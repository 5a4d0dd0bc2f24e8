package org.kvmportal.hypervisor;

/**
 * The one exception type the hypervisor layer throws. Its message is written for a person ("Host lab-1
 * did not answer within 5 s"), never a raw libvirt error string; the libvirt detail stays in the cause.
 */
public class HypervisorException extends RuntimeException {

    public HypervisorException(String message) {
        super(message);
    }

    public HypervisorException(String message, Throwable cause) {
        super(message, cause);
    }
}
