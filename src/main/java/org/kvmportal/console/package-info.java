/**
 * The in-browser console. {@link org.kvmportal.console.ConsoleService} issues one-time tickets to views;
 * {@code relay} checks them in the WebSocket handshake and relays RFB between noVNC and the VM's VNC server;
 * {@link org.kvmportal.console.ConsoleSessions} keeps every open console honest (limits, audit, re-checks);
 * {@code ui} is the console page. See docs/adr/0005-console-relay.md.
 */
package org.kvmportal.console;
