package org.kvmportal.hypervisor.internal;

import org.kvmportal.hypervisor.PowerState;
import org.libvirt.DomainInfo.DomainState;

final class PowerStates {

    private PowerStates() {}

    static PowerState of(DomainState state) {
        return switch (state) {
            case VIR_DOMAIN_RUNNING -> PowerState.RUNNING;
            case VIR_DOMAIN_BLOCKED -> PowerState.BLOCKED;
            case VIR_DOMAIN_PAUSED -> PowerState.PAUSED;
            case VIR_DOMAIN_SHUTDOWN -> PowerState.SHUTTING_DOWN;
            case VIR_DOMAIN_SHUTOFF -> PowerState.SHUT_OFF;
            case VIR_DOMAIN_CRASHED -> PowerState.CRASHED;
            case VIR_DOMAIN_PMSUSPENDED -> PowerState.SUSPENDED;
            case VIR_DOMAIN_NOSTATE -> PowerState.NO_STATE;
        };
    }
}
