package org.kvmportal.vm;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import org.kvmportal.hypervisor.DomainRemoved;
import org.kvmportal.hypervisor.DomainStateChanged;
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

    private final Set<Runnable> listeners = new CopyOnWriteArraySet<>();

    /** @return call it to stop listening (on detach) */
    public Runnable subscribe(Runnable onChange) {
        listeners.add(onChange);
        return () -> listeners.remove(onChange);
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

    private void notifyListeners() {
        listeners.forEach(Runnable::run);
    }
}
