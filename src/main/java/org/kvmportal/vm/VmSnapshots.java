package org.kvmportal.vm;

import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.kvmportal.audit.Actor;
import org.kvmportal.audit.AuditEntry;
import org.kvmportal.audit.AuditLog;
import org.kvmportal.base.CurrentUser;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.Hypervisor;
import org.kvmportal.hypervisor.Snapshot;
import org.kvmportal.hypervisor.SnapshotKind;
import org.kvmportal.hypervisor.SnapshotState;
import org.kvmportal.hypervisor.SnapshotSupport;
import org.kvmportal.hypervisor.Snapshots;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/**
 * A VM's snapshots for the people who manage it (admins and MANAGE grantees): list, take, revert to and delete
 * them. "Reset to clean state" is not here: it is a power action (REVERT right) in {@link VmService}, and only
 * admins choose the clean snapshot ({@link VmService#markClean}).
 *
 * <p>Every method checks the caller's right from the database as it is now; input is checked before libvirt is
 * called; every change and every refusal goes into the audit log. Results complete on the host's thread.
 */
@Service
@PreAuthorize("isAuthenticated()")
public class VmSnapshots {

    private final CurrentUser caller;

    private static final String NO_SUCH_VM = "That virtual machine no longer exists.";
    private static final DateTimeFormatter NAME_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneId.systemDefault());

    private final Snapshots snapshots;
    private final Hypervisor hypervisor;
    private final VmAccessPolicy policy;
    private final VmProtections protections;
    private final VmCleanSnapshots cleanSnapshots;
    private final AuditLog audit;
    private final Clock clock = Clock.systemUTC();
    /** VMs with a snapshot change under way: a second one is refused rather than queued behind it. */
    private final Set<DomainRef> busy = ConcurrentHashMap.newKeySet();

    VmSnapshots(
            Snapshots snapshots,
            Hypervisor hypervisor,
            VmAccessPolicy policy,
            VmCleanSnapshots cleanSnapshots,
            VmProtections protections,
            AuditLog audit,
            CurrentUser caller) {
        this.caller = caller;
        this.snapshots = snapshots;
        this.hypervisor = hypervisor;
        this.policy = policy;
        this.cleanSnapshots = cleanSnapshots;
        this.protections = protections;
        this.audit = audit;
    }

    /** Whether the signed-in user may see and change this VM's snapshots: for views, which only hide. */
    public boolean mayManage(DomainRef ref) {
        return hypervisor.domain(ref).isPresent()
                && policy.recentScope(caller.username()).has(VmRight.MANAGE, ref);
    }

    /** Whether the signed-in user may choose the VM's clean state (admins). */
    public boolean mayMarkClean(DomainRef ref) {
        return policy.recentScope(caller.username()).admin();
    }

    /** The VM's snapshots, parents before children, siblings oldest first. */
    public CompletableFuture<List<Snapshot>> list(DomainRef ref) {
        String refusal = readRefusal(ref);
        return refusal != null
                ? CompletableFuture.failedFuture(new VmAccessRefusedException(refusal))
                : snapshots.list(ref);
    }

    /** Which snapshots the VM can take on its host, for the create dialog. */
    public CompletableFuture<SnapshotSupport> support(DomainRef ref) {
        String refusal = readRefusal(ref);
        return refusal != null
                ? CompletableFuture.failedFuture(new VmAccessRefusedException(refusal))
                : snapshots.support(ref);
    }

    /** The snapshot "Reset to clean state" reverts to, if an admin chose one. */
    public Optional<String> cleanSnapshot(DomainRef ref) {
        return readRefusal(ref) == null ? cleanSnapshots.of(ref) : Optional.empty();
    }

    /** A name for a new snapshot, from the time: unique enough that people rarely need to change it. */
    public String suggestedName() {
        return "snapshot-" + NAME_TIME.format(clock.instant());
    }

    /**
     * Takes a snapshot. The name and description are checked first (the name against the VM's snapshots); a
     * refusal fails the future with {@link SnapshotInputException} and changes nothing. A host that cannot take a
     * full snapshot fails it with {@code FullSnapshotImpossibleException}, whose message offers a disk-only one.
     */
    public CompletableFuture<Void> create(DomainRef ref, String name, String description, SnapshotKind kind) {
        var actor = audit.actor();
        String shownName = name == null ? "" : name.strip();
        var target = managedNow(actor, ref, "VM_SNAPSHOT_CREATE", shownName);
        if (target.refusal() != null) {
            return CompletableFuture.failedFuture(new VmAccessRefusedException(target.refusal()));
        }
        var vm = target.vm();
        String checkedDescription;
        try {
            checkedDescription = SnapshotInput.description(description);
            SnapshotInput.name(name, List.of()); // the form first: no need to ask the host about a bad name
        } catch (SnapshotInputException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (!busy.add(ref)) {
            return busyRefusal(actor, ref, vm, "VM_SNAPSHOT_CREATE", shownName);
        }
        return snapshots
                .list(ref)
                .thenCompose(existing -> {
                    String checkedName = SnapshotInput.name(
                            name, existing.stream().map(Snapshot::name).toList());
                    return audited(
                            actor,
                            ref,
                            vm,
                            "VM_SNAPSHOT_CREATE",
                            checkedName + " (" + kindLabel(kind) + ")",
                            snapshots.create(ref, checkedName, checkedDescription, kind));
                })
                .whenComplete((ignored, error) -> busy.remove(ref));
    }

    /**
     * Reverts the VM to a snapshot. One without memory leaves the VM shut off (a running VM is stopped) unless
     * {@code startAfterwards}; {@link #revertWarning} says which, for the confirmation.
     */
    public CompletableFuture<Void> revert(DomainRef ref, String snapshot, boolean startAfterwards) {
        var actor = audit.actor();
        var target = managedNow(actor, ref, "VM_SNAPSHOT_REVERT", snapshot);
        if (target.refusal() != null) {
            return CompletableFuture.failedFuture(new VmAccessRefusedException(target.refusal()));
        }
        var vm = target.vm();
        var protection = protections.reason(ref, vm.name());
        if (protection.isPresent()) {
            record(actor, "VM_SNAPSHOT_REVERT", ref, vm, "REFUSED", snapshot + ": " + protection.get());
            return CompletableFuture.failedFuture(new VmActionException(protection.get()));
        }
        if (!busy.add(ref)) {
            return busyRefusal(actor, ref, vm, "VM_SNAPSHOT_REVERT", snapshot);
        }
        return audited(
                        actor,
                        ref,
                        vm,
                        "VM_SNAPSHOT_REVERT",
                        snapshot + (startAfterwards ? " (started afterwards)" : ""),
                        snapshots.revert(ref, snapshot, startAfterwards))
                .whenComplete((ignored, error) -> busy.remove(ref));
    }

    /**
     * Deletes a snapshot; its children stay. The clean state is an admin's choice: only an admin may delete it,
     * and that clears the choice ("Reset to clean state" is then not offered until another is marked).
     */
    public CompletableFuture<Void> delete(DomainRef ref, String snapshot) {
        var actor = audit.actor();
        var target = managedNow(actor, ref, "VM_SNAPSHOT_DELETE", snapshot);
        if (target.refusal() != null) {
            return CompletableFuture.failedFuture(new VmAccessRefusedException(target.refusal()));
        }
        var vm = target.vm();
        boolean isClean = cleanSnapshots.of(ref).filter(snapshot::equals).isPresent();
        if (isClean && !policy.scope(actor.username()).admin()) {
            String refusal = "\"" + snapshot + "\" is the clean state of " + vm.name()
                    + ": only an administrator may delete it.";
            record(actor, "VM_SNAPSHOT_DELETE", ref, vm, "REFUSED", snapshot + ": " + refusal);
            return CompletableFuture.failedFuture(new VmActionException(refusal));
        }
        if (!busy.add(ref)) {
            return busyRefusal(actor, ref, vm, "VM_SNAPSHOT_DELETE", snapshot);
        }
        return audited(actor, ref, vm, "VM_SNAPSHOT_DELETE", snapshot, snapshots.delete(ref, snapshot))
                .thenRun(() -> {
                    if (isClean
                            && cleanSnapshots.of(ref).filter(snapshot::equals).isPresent()) {
                        cleanSnapshots.clear(ref);
                        record(actor, "VM_CLEAN_STATE_CLEARED", ref, vm, "SUCCESS", snapshot + " was deleted");
                    }
                })
                .whenComplete((ignored, error) -> busy.remove(ref));
    }

    /** What reverting the VM as it is now to this snapshot does, said before it runs. */
    public String revertWarning(DomainSummary vm, Snapshot snapshot) {
        String when = snapshot.created() == null ? "" : " of " + WHEN.format(snapshot.created());
        if (snapshot.memory()) {
            return vm.name() + " goes back to snapshot \"" + snapshot.name() + "\"" + when
                    + ": its disks and its memory, so the programs that ran then run again"
                    + (snapshot.state() == SnapshotState.PAUSED ? " (paused)" : "")
                    + ". Everything changed on it since is lost.";
        }
        String disks = "its disks go back to snapshot \"" + snapshot.name() + "\"" + when
                + ", which holds no memory. Everything written to them since is lost.";
        return vm.state().isActive()
                ? vm.name() + " is " + vm.state().label().toLowerCase(Locale.ROOT)
                        + ": it is stopped at once, as if its power were cut, and " + disks
                        + " It stays shut off unless you start it afterwards."
                : "The disks of " + vm.name() + " go back to snapshot \"" + snapshot.name() + "\"" + when
                        + ". Everything written to them since is lost. It stays shut off unless you start it"
                        + " afterwards.";
    }

    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    private static String kindLabel(SnapshotKind kind) {
        return kind == SnapshotKind.FULL ? "full" : "disk only";
    }

    /** For reads (rights at most a second old): why the user may not read the VM's snapshots, or null. */
    private String readRefusal(DomainRef ref) {
        var scope = policy.recentScope(caller.username());
        return refusal(
                scope, hypervisor.domain(ref).filter(found -> scope.sees(ref)).orElse(null));
    }

    /** The VM and why the user may not change its snapshots (null when they may); rights read fresh. */
    private record Target(DomainSummary vm, String refusal) {}

    /** For changes: checks the user's right now, and audits a refusal. */
    private Target managedNow(Actor actor, DomainRef ref, String action, String snapshot) {
        var scope = policy.scope(actor.username());
        var vm = hypervisor.domain(ref).filter(found -> scope.sees(ref)).orElse(null);
        String refusal = refusal(scope, vm);
        if (refusal != null) {
            record(actor, action, ref, vm, "REFUSED", snapshot + ": " + refusal);
        }
        return new Target(vm, refusal);
    }

    /** The same answer whether the VM does not exist or is not the caller's: no probing for other people's VMs. */
    private static String refusal(VmScope scope, DomainSummary vm) {
        if (vm == null) {
            return NO_SUCH_VM;
        }
        return scope.has(VmRight.MANAGE, vm.ref()) ? null : "You may not manage the snapshots of " + vm.name() + ".";
    }

    private CompletableFuture<Void> busyRefusal(
            Actor actor, DomainRef ref, DomainSummary vm, String action, String snapshot) {
        String refusal = "Operation in progress: a snapshot of " + vm.name() + " is being taken, reverted to or"
                + " deleted; wait until it ends.";
        record(actor, action, ref, vm, "REFUSED", snapshot + ": " + refusal);
        return CompletableFuture.failedFuture(new VmActionException(refusal));
    }

    private CompletableFuture<Void> audited(
            Actor actor,
            DomainRef ref,
            DomainSummary vm,
            String action,
            String detail,
            CompletableFuture<Void> change) {
        return change.whenComplete((ignored, error) -> record(
                actor,
                action,
                ref,
                vm,
                error == null ? "SUCCESS" : "FAILURE",
                error == null ? detail : detail + ": " + VmService.messageOf(error)));
    }

    private void record(Actor actor, String action, DomainRef ref, DomainSummary vm, String result, String detail) {
        String target = ref.host() + "/" + (vm == null ? ref.uuid() : vm.name() + " (" + ref.uuid() + ")");
        audit.record(AuditEntry.of(actor, action, target, ref, null, result, detail));
    }
}
