package org.kvmportal.vm;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.kvmportal.access.Accounts;
import org.kvmportal.access.Quota;
import org.kvmportal.audit.Actor;
import org.kvmportal.audit.AuditEntry;
import org.kvmportal.audit.AuditLog;
import org.kvmportal.base.CurrentUser;
import org.kvmportal.base.Failures;
import org.kvmportal.hypervisor.DomainDetails;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.HostState;
import org.kvmportal.hypervisor.HostStatus;
import org.kvmportal.hypervisor.Hypervisor;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.stereotype.Service;

/**
 * VMs as the signed-in user may see and act on them (rules in {@link VmScope}). Reads come from the
 * hypervisor's in-memory inventory and never block; actions return futures that complete when libvirt has
 * answered. Every method checks the caller's rights itself, whatever a view shows.
 */
@Service
@PreAuthorize("isAuthenticated()")
public class VmService {

    private final CurrentUser caller;

    private final Hypervisor hypervisor;
    private final VmOperations operations;
    private final VmAccessPolicy policy;
    private final VmCleanSnapshots cleanSnapshots;
    private final Accounts accounts;
    private final AuditLog audit;
    private final VmMetrics metrics;
    private final Duration shutdownGrace;
    private final VmProtections protections;

    VmService(
            Hypervisor hypervisor,
            VmOperations operations,
            VmAccessPolicy policy,
            VmCleanSnapshots cleanSnapshots,
            Accounts accounts,
            AuditLog audit,
            VmMetrics metrics,
            @Value("${kvmportal.shutdown-grace:60s}") Duration shutdownGrace,
            VmProtections protections,
            CurrentUser caller) {
        this.caller = caller;
        this.hypervisor = hypervisor;
        this.operations = operations;
        this.policy = policy;
        this.cleanSnapshots = cleanSnapshots;
        this.accounts = accounts;
        this.audit = audit;
        this.metrics = metrics;
        this.shutdownGrace = shutdownGrace;
        this.protections = protections;
    }

    public List<DomainSummary> visibleVms() {
        var scope = policy.recentScope(caller.username());
        return hypervisor.domains().stream().filter(vm -> scope.sees(vm.ref())).toList();
    }

    public List<DomainSummary> find(VmQuery query, int offset, int limit) {
        return visibleVms().stream()
                .filter(query.matcher())
                .sorted(query.comparator())
                .skip(offset)
                .limit(limit)
                .toList();
    }

    public int count(VmQuery query) {
        return (int) visibleVms().stream().filter(query.matcher()).count();
    }

    public Optional<DomainSummary> find(DomainRef ref) {
        return sees(ref) ? hypervisor.domain(ref) : Optional.empty();
    }

    /** What the signed-in user may do to this VM; empty when they may not see it. */
    public Set<VmRight> rights(DomainRef ref) {
        return hypervisor.domain(ref).isEmpty()
                ? Set.of()
                : policy.recentScope(caller.username()).rights(ref);
    }

    /**
     * The power actions (and reset to clean state) the signed-in user may run on the VM as it is now, in
     * {@link VmAction} order; configuration changes are not among them.
     */
    public List<VmAction> offeredActions(DomainSummary vm) {
        var rights = rights(vm.ref());
        var offered = Arrays.stream(VmAction.values())
                .filter(action -> !action.changesConfiguration()
                        && action.appliesTo(vm)
                        && rights.contains(action.requiredRight()))
                .filter(action ->
                        action != VmAction.REVERT || cleanSnapshots.of(vm.ref()).isPresent())
                .toList();
        // Asked only when it matters (a shut-off VM, say): cards and pages call this on every change.
        if (offered.stream().anyMatch(VmAction::writesDisks)
                && protections.reason(vm.ref(), vm.name()).isPresent()) {
            return offered.stream().filter(action -> !action.writesDisks()).toList();
        }
        return offered;
    }

    /**
     * Whether an action on this VM asks the signed-in user for a reason: help-desk staff acting on someone
     * else's VM (the reason goes into the audit log).
     */
    public boolean needsReason(VmAction action, DomainRef ref) {
        return policy.recentScope(caller.username()).supportOnly(action.requiredRight(), ref);
    }

    /** The VMs assigned to the signed-in user, directly or through a group, by name. */
    public List<AssignedVm> myVms() {
        return assignedTo(policy.scope(caller.username()));
    }

    /** The signed-in user's quotas: their own, then their groups'. */
    public List<Quota> myQuotas() {
        return accounts.quotas(caller.username());
    }

    /**
     * The VMs assigned to another user, as far as the caller may see them: for help-desk staff finding a
     * user's machines. A disabled user has none.
     */
    @PreAuthorize("hasAnyRole('ADMIN', 'HELPDESK')")
    public List<AssignedVm> vmsOf(String username) {
        var callerScope = policy.recentScope(caller.username());
        return assignedTo(policy.scope(username)).stream()
                .filter(assigned -> callerScope.sees(assigned.vm().ref()))
                .toList();
    }

    private List<AssignedVm> assignedTo(VmScope scope) {
        return hypervisor.domains().stream()
                .filter(vm -> scope.level(vm.ref()) != null)
                .map(vm -> new AssignedVm(vm, scope.level(vm.ref())))
                .sorted(Comparator.comparing(assigned -> assigned.vm().name(), String.CASE_INSENSITIVE_ORDER))
                .toList();
    }

    /** Whether the user may assign VMs to people (admins). */
    public boolean mayAssign() {
        return policy.recentScope(caller.username()).admin();
    }

    /** Whether the user may see who VMs are assigned to (staff). */
    public boolean showsOwners() {
        return isStaff();
    }

    /** The hosts the user's VMs live on (all hosts for admins), for filtering. */
    public List<String> hostNames() {
        var scope = policy.recentScope(caller.username());
        if (scope.admin()) {
            return hypervisor.hosts().stream().map(HostStatus::name).toList();
        }
        return visibleVms().stream()
                .map(vm -> vm.ref().host())
                .distinct()
                .sorted()
                .toList();
    }

    /** Hosts the user's VMs live on that are not connected right now, with the reason. */
    public List<HostStatus> hostProblems() {
        var hosts = Set.copyOf(hostNames());
        return hypervisor.hosts().stream()
                .filter(host -> host.state() != HostState.CONNECTED && hosts.contains(host.name()))
                .toList();
    }

    /** The VM's most recent performance sample; empty while it is not running or not yet measured. */
    public Optional<VmSample> latestSample(DomainRef ref) {
        return sees(ref) ? metrics.latest(ref) : Optional.empty();
    }

    /** Up to five minutes of performance samples, oldest first. */
    public List<VmSample> sampleHistory(DomainRef ref) {
        return sees(ref) ? metrics.history(ref) : List.of();
    }

    /** The VM's definition for its details page; host paths, networks and listen addresses for staff only. */
    public CompletableFuture<DomainDetails> details(DomainRef ref) {
        if (find(ref).isEmpty()) {
            return CompletableFuture.failedFuture(new VmAccessRefusedException(NO_SUCH_VM));
        }
        boolean staff = isStaff(); // here, on the caller's thread: the hypervisor's threads have no caller
        return hypervisor.details(ref).thenApply(details -> staff ? details : HostInternals.hiddenFrom(details));
    }

    /** Whether {@link #xml} will answer for this user and VM. */
    public boolean mayReadXml(DomainRef ref) {
        return isStaff() && sees(ref);
    }

    /** The VM's XML, secrets masked: staff only, as it shows how the host is set up. */
    @PreAuthorize("hasAnyRole('ADMIN', 'HELPDESK')")
    public CompletableFuture<String> xml(DomainRef ref) {
        if (find(ref).isEmpty()) {
            return CompletableFuture.failedFuture(new VmAccessRefusedException(NO_SUCH_VM));
        }
        return hypervisor.domainXml(ref);
    }

    /** The snapshot "Reset to clean state" reverts to, for users who may see the VM. */
    public Optional<String> cleanSnapshot(DomainRef ref) {
        return sees(ref) ? cleanSnapshots.of(ref) : Optional.empty();
    }

    /** The VM's snapshots, for choosing its clean state. */
    @PreAuthorize("hasRole('ADMIN')")
    public CompletableFuture<List<String>> snapshotNames(DomainRef ref) {
        if (find(ref).isEmpty()) {
            return CompletableFuture.failedFuture(new VmAccessRefusedException(NO_SUCH_VM));
        }
        return hypervisor.snapshotNames(ref);
    }

    /**
     * Makes {@code snapshot} the state "Reset to clean state" returns the VM to; null makes it have none.
     * Refused unless the VM has a snapshot of that name.
     */
    @PreAuthorize("hasRole('ADMIN')")
    public CompletableFuture<Void> markClean(DomainRef ref, String snapshot) {
        var vm = find(ref).orElse(null);
        if (vm == null) {
            return CompletableFuture.failedFuture(new VmAccessRefusedException(NO_SUCH_VM));
        }
        var actor = audit.actor();
        if (snapshot == null) {
            cleanSnapshots.clear(ref);
            record(actor, "VM_CLEAN_STATE_CLEARED", ref, vm, null, "SUCCESS", null);
            return CompletableFuture.completedFuture(null);
        }
        return hypervisor.snapshotNames(ref).thenAccept(names -> {
            if (!names.contains(snapshot)) {
                throw new VmActionException(vm.name() + " has no snapshot named \"" + snapshot + "\".");
            }
            cleanSnapshots.mark(ref, snapshot, actor.username());
            record(actor, "VM_CLEAN_STATE_MARKED", ref, vm, null, "SUCCESS", snapshot);
        });
    }

    public Optional<VmAction> runningAction(DomainRef ref) {
        return operations.runningOn(ref);
    }

    /** How long a guest gets to act on "shut down" before the UI offers to force it off. */
    public Duration shutdownGrace() {
        return shutdownGrace;
    }

    /** Runs {@code action} on one VM without a reason; see {@link #perform(VmAction, DomainRef, String)}. */
    public CompletableFuture<Void> perform(VmAction action, DomainRef ref) {
        return perform(action, ref, null);
    }

    /**
     * Runs {@code action} on one VM. Refusals (no right, no reason where one is needed, wrong state, another
     * action running) fail the future with {@link VmActionException} before libvirt is called; libvirt
     * failures with a {@code HypervisorException}. Every attempt goes into the audit log with the reason.
     */
    public CompletableFuture<Void> perform(VmAction action, DomainRef ref, String reason) {
        var actor = audit.actor();
        var scope = policy.scope(actor.username()); // fresh: a withdrawn right stops the very next action
        var vm = hypervisor.domain(ref).filter(found -> scope.sees(ref)).orElse(null);
        String why = reason == null || reason.isBlank() ? null : reason.strip();
        var refusal = refusal(scope, action, vm, why);
        if (refusal == null && action.writesDisks()) {
            refusal = protections
                    .reason(ref, vm.name())
                    .map(VmActionException::new)
                    .orElse(null);
        }
        if (refusal != null) {
            record(actor, action, ref, vm, why, "REFUSED", refusal.getMessage());
            return CompletableFuture.failedFuture(refusal);
        }
        var snapshot = action == VmAction.REVERT ? cleanSnapshots.of(ref).orElse(null) : null;
        if (action == VmAction.REVERT && snapshot == null) {
            String none = "No clean state has been set for " + vm.name() + "; an administrator marks one.";
            record(actor, action, ref, vm, why, "REFUSED", none);
            return CompletableFuture.failedFuture(new VmActionException(none));
        }
        var already = operations.tryBegin(ref, action);
        if (already.isEmpty() && operations.migrating(ref)) {
            operations.end(ref);
            String moving =
                    "Operation in progress: " + vm.name() + " is being moved to another host; wait until it ends.";
            record(actor, action, ref, vm, why, "REFUSED", moving);
            return CompletableFuture.failedFuture(new VmActionException(moving));
        }
        if (already.isPresent()) {
            String busy = "Operation in progress: " + vm.name() + " is busy with \""
                    + already.get().label().toLowerCase(Locale.ROOT) + "\"; wait until it ends.";
            record(actor, action, ref, vm, why, "REFUSED", busy);
            return CompletableFuture.failedFuture(new VmActionException(busy));
        }
        return call(action, ref, snapshot).whenComplete((ignored, error) -> {
            operations.end(ref);
            record(
                    actor,
                    action,
                    ref,
                    vm,
                    why,
                    error == null ? "SUCCESS" : "FAILURE",
                    error == null ? null : messageOf(error));
        });
    }

    /** Runs {@code action} on each VM; one VM's failure (a refusal included) does not stop the others. */
    public CompletableFuture<BulkOutcome> performAll(VmAction action, Collection<DomainRef> refs) {
        return performAll(action, refs, null);
    }

    /** As {@link #performAll(VmAction, Collection)}, with the reason recorded for each VM. */
    public CompletableFuture<BulkOutcome> performAll(VmAction action, Collection<DomainRef> refs, String reason) {
        var results = refs.stream()
                .map(ref -> {
                    // Named here: the results complete on libvirt's threads, which know no signed-in user.
                    String name =
                            find(ref).map(DomainSummary::name).orElse(ref.uuid().toString());
                    return perform(action, ref, reason)
                            .handle((ignored, error) ->
                                    new VmActionResult(ref, name, error == null ? null : messageOf(error)));
                })
                .toList();
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                .thenApply(done -> new BulkOutcome(
                        action, results.stream().map(CompletableFuture::join).toList()));
    }

    /** The message of a failed action's exception, unwrapped from the future's wrapper. */
    public static String messageOf(Throwable error) {
        return Failures.messageOf(error);
    }

    private static final String NO_SUCH_VM = "That virtual machine no longer exists.";

    /** Why the action may not run now (its type says whether for lack of a right), or null when it may. */
    private static VmActionException refusal(VmScope scope, VmAction action, DomainSummary vm, String reason) {
        if (vm == null) {
            // The same answer whether it does not exist or is someone else's: no probing for other users' VMs.
            return new VmAccessRefusedException(NO_SUCH_VM);
        }
        var right = action.requiredRight();
        if (!scope.has(right, vm.ref())) {
            return new VmAccessRefusedException(
                    right == VmRight.MANAGE
                            ? "You may not change how " + vm.name() + " is configured."
                            : "You may not " + action.label().toLowerCase(Locale.ROOT) + " " + vm.name() + ".");
        }
        if (reason == null && scope.supportOnly(right, vm.ref())) {
            return new VmActionException("Give a reason for acting on " + vm.name() + ": it goes into the audit log.");
        }
        if (!action.appliesTo(vm)) {
            return new VmActionException(vm.name() + " is " + vm.state().label().toLowerCase(Locale.ROOT)
                    + ": it cannot be " + action.pastTense() + " now.");
        }
        return null;
    }

    private CompletableFuture<Void> call(VmAction action, DomainRef ref, String snapshot) {
        return switch (action) {
            case START, RESTORE -> hypervisor.start(ref);
            case SHUTDOWN -> hypervisor.shutdown(ref);
            case REBOOT -> hypervisor.reboot(ref);
            case FORCE_OFF -> hypervisor.forceOff(ref);
            case RESET -> hypervisor.reset(ref);
            case PAUSE -> hypervisor.pause(ref);
            case RESUME -> hypervisor.resume(ref);
            case SAVE -> hypervisor.save(ref);
            case REVERT -> hypervisor.revertToSnapshot(ref, snapshot);
            case AUTOSTART_ON -> hypervisor.setAutostart(ref, true);
            case AUTOSTART_OFF -> hypervisor.setAutostart(ref, false);
        };
    }

    private void record(
            Actor actor,
            VmAction action,
            DomainRef ref,
            DomainSummary vm,
            String reason,
            String result,
            String detail) {
        record(actor, "VM_" + action.name(), ref, vm, reason, result, detail);
    }

    private void record(
            Actor actor, String action, DomainRef ref, DomainSummary vm, String reason, String result, String detail) {
        String target = ref.host() + "/" + (vm == null ? ref.uuid() : vm.name() + " (" + ref.uuid() + ")");
        audit.record(AuditEntry.of(actor, action, target, ref, reason, result, detail));
    }

    private boolean sees(DomainRef ref) {
        return policy.recentScope(caller.username()).sees(ref);
    }

    private boolean isStaff() {
        return caller.authentication().getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .anyMatch(authority -> authority.equals("ROLE_ADMIN") || authority.equals("ROLE_HELPDESK"));
    }
}
