package org.kvmportal.vm;

import org.kvmportal.base.Listeners;
import org.kvmportal.hypervisor.DomainRemoved;
import org.kvmportal.hypervisor.DomainStateChanged;
import org.kvmportal.hypervisor.HostRemoved;
import org.kvmportal.hypervisor.HostStateChanged;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Tells open views that the VM inventory changed. One listener per open view, fed from the hypervisor's
 * events, so no view polls libvirt. Listeners run on the thread that published the event and must hand
 * their work to the UI (Vaadin's {@code UI.access}) quickly.
 */
@Component
public class VmChanges {

    private final Listeners listeners = new Listeners();

    /** @return call it to stop listening (on detach) */
    public Runnable subscribe(Runnable onChange) {
        return listeners.subscribe(onChange);
    }

    @EventListener
    void on(DomainStateChanged event) {
        notifyListeners();
    }

    @EventListener
    void on(DomainRemoved event) {
        notifyListeners();
    }

    @EventListener
    void on(HostStateChanged event) {
        notifyListeners();
    }

    /** An action started or ended on some VM (see {@link VmOperations}). */
    void operationsChanged() {
        notifyListeners();
    }

    @EventListener
    void on(HostRemoved event) {
        notifyListeners();
    }

    private void notifyListeners() {
        listeners.notifyListeners();
    }
}
