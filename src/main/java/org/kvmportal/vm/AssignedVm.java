package org.kvmportal.vm;

import org.kvmportal.hypervisor.DomainSummary;

/** A VM as assigned to someone: at the highest level their own and their groups' grants give. */
public record AssignedVm(DomainSummary vm, VmAccessLevel level) {}
