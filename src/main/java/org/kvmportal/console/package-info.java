/**
 * The in-browser console: a ticketed WebSocket relay from noVNC to the VM's VNC server and the serial
 * console. Its relay, tickets and views arrive with the console issue; the package exists now so that the
 * module boundaries (checked by {@code ArchitectureTest}) are fixed before code moves in.
 */
package org.kvmportal.console;
