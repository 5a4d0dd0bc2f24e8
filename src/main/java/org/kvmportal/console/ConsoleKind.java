package org.kvmportal.console;

/** Which of a VM's consoles a connection relays. */
public enum ConsoleKind {
    /** The graphical display, over VNC. */
    SCREEN,
    /** The first serial port, through libvirt. */
    SERIAL
}
