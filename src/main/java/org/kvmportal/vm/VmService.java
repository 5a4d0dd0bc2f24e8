package org.kvmportal.vm;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.kvmportal.audit.AuditEntry;
import org.kvmportal.audit.AuditLog;
import org.kvmportal.hypervisor.DomainDetails;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.HostState;
import org.kvmportal.hypervisor.HostStatus;
import org.kvmportal.hypervisor.Hypervisor;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;

/**
 * VMs as the signed-in user may see and act on them. Reads come from the hypervisor's in-memory inventory
 * and never block; actions return futures that complete when libvirt has answered.
 *
 * <p>Until VM ownership exists, admins and help-desk staff see and operate every VM and other roles see
 * none; only admins change configuration (autostart).
 */
@Service
@PreAuthorize("isAuthenticated()")
public class VmService {

    private final Hypervisor hypervisor;
    private final VmOperations operations;
    private final AuditLog audit;
    private final VmMetrics metrics;
    private final Duration shutdownGrace;
    private final Clock clock = Clock.systemUTC();

    VmService(
            Hypervisor hypervisor,
            VmOperations operations,
            AuditLog audit,
            VmMetrics metrics,
            @Value("${kvmportal.shutdown-grace:60s}") Duration shutdownGrace) {
        this.hypervisor = hypervisor;
        this.operations = operations;
        this.audit = audit;
        this.metrics = metrics;
        this.shutdownGrace = shutdownGrace;
    }

    public List<DomainSummary> visibleVms() {
        return seesAllVms(currentUser()) ? hypervisor.domains() : List.of();
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
        return seesAllVms(currentUser()) ? hypervisor.domain(ref) : Optional.empty();
    }

    /** The hosts whose VMs the user may see, for filtering. */
    public List<String> hostNames() {
        return seesAllVms(currentUser())
                ? hypervisor.hosts().stream().map(HostStatus::name).toList()
                : List.of();
    }

    /** Hosts the user's VMs live on that are not connected right now, with the reason. */
    public List<HostStatus> hostProblems() {
        return seesAllVms(currentUser())
                ? hypervisor.hosts().stream()
                        .filter(host -> host.state() != HostState.CONNECTED)
                        .toList()
                : List.of();
    }

    /** The VM's most recent performance sample; empty while it is not running or not yet measured. */
    public Optional<VmSample> latestSample(DomainRef ref) {
        return seesAllVms(currentUser()) ? metrics.latest(ref) : Optional.empty();
    }

    /** Up to five minutes of performance samples, oldest first. */
    public List<VmSample> sampleHistory(DomainRef ref) {
        return seesAllVms(currentUser()) ? metrics.history(ref) : List.of();
    }

    /** The VM's definition for its details page. */
    public CompletableFuture<DomainDetails> details(DomainRef ref) {
        if (find(ref).isEmpty()) {
            return CompletableFuture.failedFuture(new VmActionException("That virtual machine no longer exists."));
        }
        return hypervisor.details(ref);
    }

    /** Whether {@link #xml} will answer for this user. */
    public boolean mayReadXml() {
        return seesAllVms(currentUser());
    }

    /** The VM's XML, secrets masked: staff only, as it shows how the host is set up. */
    @PreAuthorize("hasAnyRole('ADMIN', 'HELPDESK')")
    public CompletableFuture<String> xml(DomainRef ref) {
        if (find(ref).isEmpty()) {
            return CompletableFuture.failedFuture(new VmActionException("That virtual machine no longer exists."));
        }
        return hypervisor.domainXml(ref);
    }

    public Optional<VmAction> runningAction(DomainRef ref) {
        return operations.runningOn(ref);
    }

    /** How long a guest gets to act on "shut down" before the UI offers to force it off. */
    public Duration shutdownGrace() {
        return shutdownGrace;
    }

    /**
     * Runs {@code action} on one VM. Refusals (not allowed, wrong state, another action running) fail the
     * future with {@link VmActionException} before libvirt is called; libvirt failures with a
     * {@code HypervisorException}. Every attempt goes into the audit log.
     */
    @PreAuthorize("hasAnyRole('ADMIN', 'HELPDESK')")
    public CompletableFuture<Void> perform(VmAction action, DomainRef ref) {
        var user = currentUser();
        var vm = hypervisor.domain(ref).orElse(null);
        String refusal = refusal(user, action, vm);
        if (refusal != null) {
            record(user, action, ref, vm, "REFUSED", refusal);
            return CompletableFuture.failedFuture(new VmActionException(refusal));
        }
        var already = operations.tryBegin(ref, action);
        if (already.isPresent()) {
            String busy = "Operation in progress: " + vm.name() + " is busy with \""
                    + already.get().label().toLowerCase(java.util.Locale.ROOT) + "\"; wait until it ends.";
            record(user, action, ref, vm, "REFUSED", busy);
            return CompletableFuture.failedFuture(new VmActionException(busy));
        }
        return call(action, ref).whenComplete((ignored, error) -> {
            operations.end(ref);
            record(
                    user,
                    action,
                    ref,
                    vm,
                    error == null ? "SUCCESS" : "FAILURE",
                    error == null ? null : messageOf(error));
        });
    }

    /** Runs {@code action} on each VM; one VM's failure does not stop the others. */
    @PreAuthorize("hasAnyRole('ADMIN', 'HELPDESK')")
    public CompletableFuture<BulkOutcome> performAll(VmAction action, Collection<DomainRef> refs) {
        var results = refs.stream()
                .map(ref -> perform(action, ref)
                        .handle((ignored, error) -> new VmActionResult(
                                ref,
                                hypervisor
                                        .domain(ref)
                                        .map(DomainSummary::name)
                                        .orElse(ref.uuid().toString()),
                                error == null ? null : messageOf(error))))
                .toList();
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                .thenApply(done -> new BulkOutcome(
                        action, results.stream().map(CompletableFuture::join).toList()));
    }

    /** The message of a failed action's exception, unwrapped from the future's wrapper. */
    public static String messageOf(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }

    private static String refusal(Authentication user, VmAction action, DomainSummary vm) {
        if (vm == null) {
            return "That virtual machine no longer exists.";
        }
        if (action.changesConfiguration() && !hasRole(user, "ROLE_ADMIN")) {
            return "Only administrators can change how " + vm.name() + " is configured.";
        }
        if (!action.appliesTo(vm)) {
            return vm.name() + " is " + vm.state().label().toLowerCase(java.util.Locale.ROOT) + ": it cannot be "
                    + action.pastTense() + " now.";
        }
        return null;
    }

    private CompletableFuture<Void> call(VmAction action, DomainRef ref) {
        return switch (action) {
            case START, RESTORE -> hypervisor.start(ref);
            case SHUTDOWN -> hypervisor.shutdown(ref);
            case REBOOT -> hypervisor.reboot(ref);
            case FORCE_OFF -> hypervisor.forceOff(ref);
            case RESET -> hypervisor.reset(ref);
            case PAUSE -> hypervisor.pause(ref);
            case RESUME -> hypervisor.resume(ref);
            case SAVE -> hypervisor.save(ref);
            case AUTOSTART_ON -> hypervisor.setAutostart(ref, true);
            case AUTOSTART_OFF -> hypervisor.setAutostart(ref, false);
        };
    }

    private void record(
            Authentication user, VmAction action, DomainRef ref, DomainSummary vm, String result, String detail) {
        String target = ref.host() + "/" + (vm == null ? ref.uuid() : vm.name() + " (" + ref.uuid() + ")");
        audit.record(new AuditEntry(
                clock.instant(), user.getName(), null, null, "VM_" + action.name(), target, ref, null, result, detail));
    }

    private static Authentication currentUser() {
        return SecurityContextHolder.getContext().getAuthentication();
    }

    private static boolean seesAllVms(Authentication user) {
        return hasRole(user, "ROLE_ADMIN") || hasRole(user, "ROLE_HELPDESK");
    }

    private static boolean hasRole(Authentication user, String authority) {
        return user.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .anyMatch(authority::equals);
    }
}
