package org.kvmportal.hypervisor;

/** A migration ended without moving the VM because someone cancelled it or it ran out of time. */
public class MigrationCancelledException extends HypervisorException {

    public MigrationCancelledException(String message, Throwable cause) {
        super(message, cause);
    }
}
