package org.kvmportal.hypervisor;

/** A host to manage: the name people know it by and the libvirt URI to reach it. */
public record HostDefinition(String name, String uri) {}
