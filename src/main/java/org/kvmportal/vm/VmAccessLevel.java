package org.kvmportal.vm;

/** How far a user or group may use one VM. Each level includes the ones before it. */
public enum VmAccessLevel {
    /** See it in lists, its details and performance; watch its console. */
    VIEW("View"),
    /** Also use its console with keyboard and mouse. */
    CONSOLE("Console"),
    /** Also start, shut down, reboot, reset, force off and reset it to its clean snapshot. */
    OPERATE("Operate"),
    /** Also change its configuration (edit, delete). */
    MANAGE("Manage");

    private final String label;

    VmAccessLevel(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public boolean includes(VmAccessLevel other) {
        return compareTo(other) >= 0;
    }

    static VmAccessLevel higher(VmAccessLevel a, VmAccessLevel b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
