package org.kvmportal.vm;

import java.time.Instant;
import org.kvmportal.hypervisor.DomainRef;

/** One assignment of a VM to a user or group. */
public record VmGrant(DomainRef vm, Grantee grantee, VmAccessLevel level, String grantedBy, Instant grantedAt) {}
