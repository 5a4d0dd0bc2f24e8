package org.kvmportal.hypervisor;

/** Published when a domain was undefined (or a transient domain stopped) and left the inventory. */
public record DomainRemoved(DomainRef ref) {}
