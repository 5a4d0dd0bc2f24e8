package org.kvmportal.host;

import org.kvmportal.base.Listeners;
import org.kvmportal.hypervisor.HostRemoved;
import org.kvmportal.hypervisor.HostStateChanged;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Tells open host views that a host connected, was lost or was removed. */
@Component
public class HostChanges {

    private final Listeners listeners = new Listeners();

    public Runnable subscribe(Runnable onChange) {
        return listeners.subscribe(onChange);
    }

    @EventListener
    void on(HostStateChanged event) {
        listeners.notifyListeners();
    }

    @EventListener
    void on(HostRemoved event) {
        listeners.notifyListeners();
    }
}
