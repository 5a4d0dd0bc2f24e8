package org.kvmportal.provisioning;

import org.kvmportal.hypervisor.DomainSummary;

/** A VM marked as a template; users may create VMs from it themselves when {@code selfService}. */
public record Template(DomainSummary vm, boolean selfService) {}
