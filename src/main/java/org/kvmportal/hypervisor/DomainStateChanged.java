package org.kvmportal.hypervisor;

/** Published when a domain's state changed, whether through the portal or outside it ({@code virsh}). */
public record DomainStateChanged(DomainSummary domain) {}
