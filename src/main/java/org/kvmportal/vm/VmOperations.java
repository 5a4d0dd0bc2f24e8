package org.kvmportal.vm;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
    /** VMs on their way to another host: no power action meanwhile (libvirt would hold it up to 30 s). */
    private final Set<DomainRef> migrating = ConcurrentHashMap.newKeySet();

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

    /**
     * Holds the VM for a migration. Marks first, then looks for a running action ({@link VmService#perform}
     * does the reverse), so that an action and a migration never both start.
     *
     * @return false when the VM is busy with an action or another migration
     */
    boolean tryBeginMigration(DomainRef ref) {
        if (!migrating.add(ref)) {
            return false;
        }
        if (running.containsKey(ref)) {
            migrating.remove(ref);
            return false;
        }
        return true;
    }

    void endMigration(DomainRef ref) {
        migrating.remove(ref);
    }

    boolean migrating(DomainRef ref) {
        return migrating.contains(ref);
    }
}
