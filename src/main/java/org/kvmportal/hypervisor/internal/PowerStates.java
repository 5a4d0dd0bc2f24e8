package org.kvmportal.hypervisor.internal;

import org.kvmportal.hypervisor.PowerState;
import org.libvirt.DomainInfo.DomainState;

final class PowerStates {

    private PowerStates() {}

    /** libvirt-java's enum lists the states in libvirt's order: its ordinal is the C number. */
    static PowerState of(DomainState state) {
        return of(state.ordinal());
    }

    /** libvirt's {@code virDomainState} number, as the bulk statistics report it ({@code state.state}). */
    static PowerState of(int code) {
        return switch (code) {
            case 0 -> PowerState.NO_STATE;
            case 1 -> PowerState.RUNNING;
            case 2 -> PowerState.BLOCKED;
            case 3 -> PowerState.PAUSED;
            case 4 -> PowerState.SHUTTING_DOWN;
            case 5 -> PowerState.SHUT_OFF;
            case 6 -> PowerState.CRASHED;
            case 7 -> PowerState.SUSPENDED;
            default -> PowerState.UNKNOWN;
        };
    }
}
