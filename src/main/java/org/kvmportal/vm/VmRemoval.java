package org.kvmportal.vm;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.kvmportal.audit.Actor;
import org.kvmportal.audit.AuditEntry;
import org.kvmportal.audit.AuditLog;
import org.kvmportal.base.CurrentUser;
import org.kvmportal.hypervisor.DomainDisk;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.DomainRemoval;
import org.kvmportal.hypervisor.DomainRemovalOutcome;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.Hypervisor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deleting VMs, with or without their disks ({@link VmRight#MANAGE}: admins, and holders of a Manage grant on
 * their own VMs). A running VM is refused; a disk another VM uses, another volume's backing file, a CD-ROM's
 * medium or a file outside the storage pools is never deleted (the hypervisor layer checks again as it deletes),
 * nor a volume that is not the VM's own ({@link VmVolumes}).
 * The VM's grants and clean-state mark go with it, so that a VM defined later with the same UUID inherits
 * nobody's access.
 */
@Service
@PreAuthorize("isAuthenticated()")
public class VmRemoval {

    private final CurrentUser caller;

    private static final String NO_SUCH_VM = "That virtual machine no longer exists.";

    private final Hypervisor hypervisor;
    private final DomainRemoval removal;
    private final VmAccessPolicy policy;
    private final VmCleanSnapshots cleanSnapshots;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final AuditLog audit;
    private final VmVolumes volumes;

    VmRemoval(
            Hypervisor hypervisor,
            DomainRemoval removal,
            VmAccessPolicy policy,
            VmCleanSnapshots cleanSnapshots,
            JdbcClient jdbc,
            TransactionTemplate transactions,
            AuditLog audit,
            CurrentUser caller,
            VmVolumes volumes) {
        this.caller = caller;
        this.volumes = volumes;
        this.hypervisor = hypervisor;
        this.removal = removal;
        this.policy = policy;
        this.cleanSnapshots = cleanSnapshots;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.audit = audit;
    }

    /** Whether the signed-in user may delete this VM (it may still be refused while it runs). */
    @PreAuthorize("isAuthenticated()")
    public boolean mayDelete(DomainRef ref) {
        return hypervisor.domain(ref).isPresent()
                && policy.recentScope(caller.username()).has(VmRight.MANAGE, ref);
    }

    /**
     * The VM's disks, each saying whether it would be deleted with the VM, and if not, why: something else needs
     * it, or it is not the VM's own (ADR 13).
     */
    @PreAuthorize("isAuthenticated()")
    public CompletableFuture<List<DomainDisk>> disks(DomainRef ref) {
        var vm = permitted(ref);
        if (vm == null) {
            return CompletableFuture.failedFuture(new VmAccessRefusedException(NO_SUCH_VM));
        }
        var kept = VmVolumes.keptWhenDeleting(policy.scope(caller.username()), ref, volumes.recorded(ref.host()));
        return removal.disks(ref)
                .thenApply(disks -> disks.stream()
                        .map(disk -> {
                            String reason = kept.apply(disk);
                            return reason == null ? disk : disk.keptBecause(reason);
                        })
                        .toList());
    }

    /**
     * Deletes the VM and, when {@code removeDisks}, those of its disks that are its own (admins: or the admins')
     * and that nothing else depends on; what it leaves of its own volumes becomes the admins'. Refusals
     * (no right, running) fail the future with {@link VmActionException} before libvirt is called. Audited.
     */
    @PreAuthorize("isAuthenticated()")
    public CompletableFuture<DomainRemovalOutcome> delete(DomainRef ref, boolean removeDisks) {
        var actor = audit.actor();
        var scope = policy.scope(actor.username()); // fresh: a grant withdrawn a moment ago counts
        var vm = hypervisor.domain(ref).filter(found -> scope.sees(ref)).orElse(null);
        VmActionException refusal = vm == null
                ? new VmAccessRefusedException(NO_SUCH_VM)
                : !scope.has(VmRight.MANAGE, ref)
                        ? new VmAccessRefusedException("You may not delete " + vm.name() + ".")
                        : vm.state().isActive()
                                ? new VmActionException(vm.name() + " is "
                                        + vm.state().label().toLowerCase(java.util.Locale.ROOT)
                                        + ": shut it down or force it off before deleting it.")
                                : null;
        if (refusal != null) {
            record(actor, ref, vm, "REFUSED", refusal.getMessage());
            return CompletableFuture.failedFuture(refusal);
        }
        var keep = removeDisks
                ? VmVolumes.keptWhenDeleting(scope, ref, volumes.recorded(ref.host()))
                : (Function<DomainDisk, String>) disk -> "you chose to keep the disks";
        return removal.remove(ref, keep).whenComplete((outcome, error) -> {
            if (error != null) {
                record(actor, ref, vm, "FAILURE", VmService.messageOf(error));
                return;
            }
            int withdrawn = forget(ref);
            record(actor, ref, vm, "SUCCESS", describe(outcome, removeDisks, withdrawn));
        });
    }

    /** Removes the deleted VM's grants and clean-state mark; returns how many grants there were. */
    private int forget(DomainRef ref) {
        Integer grants = transactions.execute(tx -> {
            int removed = 0;
            for (String table : List.of("vm_user_grant", "vm_group_grant")) {
                removed += jdbc.sql("delete from " + table + " where host = :host and vm_uuid = :uuid")
                        .param("host", ref.host())
                        .param("uuid", ref.uuid())
                        .update();
            }
            return removed;
        });
        cleanSnapshots.clear(ref);
        volumes.forget(ref);
        policy.forgetRecent();
        return grants == null ? 0 : grants;
    }

    private static String describe(DomainRemovalOutcome outcome, boolean removeDisks, int grants) {
        var text = new StringBuilder(removeDisks ? "with its disks" : "disks kept");
        if (!outcome.removed().isEmpty()) {
            text.append("; removed: ").append(String.join(", ", outcome.removed()));
        }
        if (removeDisks && !outcome.kept().isEmpty()) {
            text.append("; kept: ")
                    .append(outcome.kept().stream()
                            .map(disk -> disk.path() + " (" + String.join("; ", disk.protections()) + ")")
                            .collect(Collectors.joining(", ")));
        }
        if (grants > 0) {
            text.append("; ")
                    .append(grants)
                    .append(grants == 1 ? " grant" : " grants")
                    .append(" withdrawn");
        }
        return text.toString();
    }

    private DomainSummary permitted(DomainRef ref) {
        var scope = policy.recentScope(caller.username());
        return hypervisor
                .domain(ref)
                .filter(vm -> scope.has(VmRight.MANAGE, ref))
                .orElse(null);
    }

    private void record(Actor actor, DomainRef ref, DomainSummary vm, String result, String detail) {
        String target = ref.host() + "/" + (vm == null ? ref.uuid() : vm.name() + " (" + ref.uuid() + ")");
        audit.record(AuditEntry.of(actor, "VM_DELETE", target, ref, null, result, detail));
    }
}
