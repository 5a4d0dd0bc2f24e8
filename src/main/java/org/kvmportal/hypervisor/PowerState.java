package org.kvmportal.hypervisor;

/** A domain's power state as people name it; {@link #UNKNOWN} while its host cannot be reached. */
public enum PowerState {
    RUNNING("Running"),
    BLOCKED("Blocked"),
    PAUSED("Paused"),
    SHUTTING_DOWN("Shutting down"),
    SHUT_OFF("Shut off"),
    CRASHED("Crashed"),
    SUSPENDED("Suspended"),
    NO_STATE("No state"),
    UNKNOWN("Unknown");

    private final String label;

    PowerState(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Whether the guest is up in some form, i.e. has a QEMU process. */
    public boolean isActive() {
        return this == RUNNING || this == BLOCKED || this == PAUSED || this == SHUTTING_DOWN || this == SUSPENDED;
    }
}
