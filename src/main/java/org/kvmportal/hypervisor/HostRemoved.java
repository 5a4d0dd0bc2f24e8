package org.kvmportal.hypervisor;

/** Published when the portal stopped managing a host; its domains were removed before, one by one. */
public record HostRemoved(String name) {}
