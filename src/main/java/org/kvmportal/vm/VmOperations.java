package org.kvmportal.vm;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.kvmportal.hypervisor.DomainRef;
import org.springframework.stereotype.Component;

/**
 * The actions running right now, one at most per VM: a second click, or a colleague's click on the same VM,
 * gets "operation in progress" instead of a raw libvirt error.
 */
@Component
class VmOperations {

    private final Map<DomainRef, VmAction> running = new ConcurrentHashMap<>();
    private final VmChanges changes;

    VmOperations(VmChanges changes) {
        this.changes = changes;
    }

    /** @return the action already running on this VM, or empty when {@code action} may start */
    Optional<VmAction> tryBegin(DomainRef ref, VmAction action) {
        var existing = running.putIfAbsent(ref, action);
        if (existing == null) {
            changes.operationsChanged(ref);
        }
        return Optional.ofNullable(existing);
    }

    void end(DomainRef ref) {
        running.remove(ref);
        changes.operationsChanged(ref);
    }

    Optional<VmAction> runningOn(DomainRef ref) {
        return Optional.ofNullable(running.get(ref));
    }
}
