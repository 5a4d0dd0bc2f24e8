package org.kvmportal.vm;

/** How far a person may use a VM's console. */
public enum ConsoleAccess {
    NONE,
    /** Watch the screen; keyboard and mouse input is dropped by the relay. */
    VIEW_ONLY,
    INTERACTIVE;

    public boolean allows(boolean interactive) {
        return this == INTERACTIVE || (this == VIEW_ONLY && !interactive);
    }
}
