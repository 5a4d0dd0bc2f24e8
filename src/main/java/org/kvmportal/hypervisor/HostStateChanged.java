package org.kvmportal.hypervisor;

/** Published when a host connects, loses its connection or fails to reconnect. */
public record HostStateChanged(HostStatus status) {}
