package org.kvmportal.vm;

import java.util.HashSet;
import java.util.Set;
import org.kvmportal.base.Listeners;
import org.kvmportal.hypervisor.DomainRef;
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
 *
 * <p>Changes are numbered and the recent ones kept, so that a view can ask what changed since it last looked
 * ({@link #since}) and redraw only those VMs, however many notifications were coalesced meanwhile.
 */
@Component
public class VmChanges {

    /** Changes kept for views catching up; a view further behind redraws everything. */
    private static final int KEPT = 4096;

    /**
     * What changed after a version a view has seen.
     *
     * @param version the latest change, to pass next time
     * @param vms the VMs whose state, size or running action changed (a VM may also be new)
     * @param everything whether more than single VMs changed (a host's state, a VM removed), or too much to tell
     */
    public record Since(long version, Set<DomainRef> vms, boolean everything) {}

    private final Listeners listeners = new Listeners();
    /** Change number {@code n} at {@code n % KEPT}: the VM, or null for "everything". */
    private final DomainRef[] recent = new DomainRef[KEPT];

    private long version;

    /** @return call it to stop listening (on detach) */
    public Runnable subscribe(Runnable onChange) {
        return listeners.subscribe(onChange);
    }

    /** The number of the latest change: where a view starts from. */
    public synchronized long version() {
        return version;
    }

    public synchronized Since since(long seen) {
        if (version - seen > KEPT || seen > version) {
            return new Since(version, Set.of(), true);
        }
        var vms = new HashSet<DomainRef>();
        for (long n = seen + 1; n <= version; n++) {
            var ref = recent[(int) (n % KEPT)];
            if (ref == null) {
                return new Since(version, Set.of(), true);
            }
            vms.add(ref);
        }
        return new Since(version, vms, false);
    }

    @EventListener
    void on(DomainStateChanged event) {
        changed(event.domain().ref());
    }

    @EventListener
    void on(DomainRemoved event) {
        changed(null);
    }

    @EventListener
    void on(HostStateChanged event) {
        changed(null);
    }

    @EventListener
    void on(HostRemoved event) {
        changed(null);
    }

    /** An action started or ended on the VM (see {@link VmOperations}). */
    void operationsChanged(DomainRef ref) {
        changed(ref);
    }

    /** @param ref the VM that changed, or null when many may have */
    private void changed(DomainRef ref) {
        synchronized (this) {
            version++;
            recent[(int) (version % KEPT)] = ref;
        }
        listeners.notifyListeners();
    }
}
