package org.kvmportal.vm;

/** One thing a person may do to a VM; {@link VmAccessPolicy} decides which they have. */
public enum VmRight {
    /** In lists and on its details page. */
    SEE,
    WATCH_CONSOLE,
    USE_CONSOLE,
    /** Power actions: start, shut down, reboot, reset, force off, pause, resume, save, restore. */
    OPERATE,
    /** Reset to the clean snapshot an admin marked. */
    REVERT,
    /** Configuration: autostart, description, edit, delete. */
    MANAGE,
    /** Grant and withdraw other people's access. */
    ASSIGN
}
