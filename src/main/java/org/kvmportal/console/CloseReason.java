package org.kvmportal.console;

/**
 * Why the portal ended a console connection: the WebSocket close code (application range 4000-4999) and a
 * reason the console view shows as it is. Codes are stable; the view decides from them whether to reconnect.
 */
public enum CloseReason {
    CLOSED_BY_USER(1000, "Console closed."),
    VM_STOPPED(4001, "The virtual machine is not running."),
    DISPLAY_UNREACHABLE(4002, "The virtual machine's display could not be reached."),
    ACCESS_WITHDRAWN(4003, "Your access to this console was withdrawn."),
    SESSION_ENDED(4004, "You signed out or your session ended."),
    TOO_SLOW(4005, "The browser did not keep up with the console and was disconnected."),
    PORTAL_STOPPING(4006, "The portal is restarting."),
    INPUT_REFUSED(4007, "This console is view-only: keyboard and mouse input is not allowed."),
    HOST_LOST(4009, "The connection to the virtual machine's host was lost."),
    TOO_MANY(4010, "You have too many consoles open. Close one, then try again."),
    SERIAL_IN_USE(4011, "The serial console is in use by another session (for example virsh console).");

    private final int code;
    private final String text;

    CloseReason(int code, String text) {
        this.code = code;
        this.text = text;
    }

    public int code() {
        return code;
    }

    public String text() {
        return text;
    }

    /** Whether opening the console again may help, so the view should retry by itself. */
    public boolean worthRetrying() {
        return this == VM_STOPPED || this == DISPLAY_UNREACHABLE || this == PORTAL_STOPPING || this == HOST_LOST;
    }
}
