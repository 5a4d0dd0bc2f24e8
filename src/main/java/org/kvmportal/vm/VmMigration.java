package org.kvmportal.vm;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.kvmportal.audit.Actor;
import org.kvmportal.audit.AuditEntry;
import org.kvmportal.audit.AuditLog;
import org.kvmportal.base.CurrentUser;
import org.kvmportal.hypervisor.DomainMigrator;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.HostState;
import org.kvmportal.hypervisor.HostStatus;
import org.kvmportal.hypervisor.Hypervisor;
import org.kvmportal.hypervisor.Migration;
import org.kvmportal.hypervisor.MigrationMode;
import org.kvmportal.hypervisor.MigrationOptions;
import org.kvmportal.hypervisor.MigrationProgress;
import org.kvmportal.hypervisor.PowerState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.stereotype.Service;

/**
 * Moves VMs to another configured host: admins only. The target is one of the hosts the portal manages,
 * chosen by name. Everything is checked here before libvirt is asked; the VM's grants and clean-state mark
 * (kept by host + UUID) follow it to its new host, and the move is audited. See ADR 12.
 */
@Service
@PreAuthorize("hasRole('ADMIN')")
public class VmMigration {

    private final CurrentUser caller;

    /** The most a bandwidth limit may say, in MiB/s (a 800 Gbit/s link); 0 means no limit. */
    public static final int MAX_BANDWIDTH = 100_000;

    private static final String NO_SUCH_VM = "That virtual machine no longer exists.";
    private static final Logger log = LoggerFactory.getLogger(VmMigration.class);

    private final Hypervisor hypervisor;
    private final DomainMigrator migrator;
    private final VmOperations operations;
    private final VmGrants grants;
    private final VmCleanSnapshots cleanSnapshots;
    private final AuditLog audit;
    /** Migrations under way by source VM; the handle is null while the pre-flight checks still run. */
    private final Map<DomainRef, Running> running = new ConcurrentHashMap<>();

    private final VmProtections protections;
    private final VmVolumes volumes;

    VmMigration(
            Hypervisor hypervisor,
            DomainMigrator migrator,
            VmOperations operations,
            VmGrants grants,
            VmCleanSnapshots cleanSnapshots,
            VmProtections protections,
            AuditLog audit,
            CurrentUser caller,
            VmVolumes volumes) {
        this.caller = caller;
        this.volumes = volumes;
        this.protections = protections;
        this.hypervisor = hypervisor;
        this.migrator = migrator;
        this.operations = operations;
        this.grants = grants;
        this.cleanSnapshots = cleanSnapshots;
        this.audit = audit;
    }

    /** Whether the signed-in user may move VMs (admins), for views deciding what to show. */
    @PreAuthorize("isAuthenticated()")
    public boolean mayMigrate() {
        return caller.authentication().getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .anyMatch("ROLE_ADMIN"::equals);
    }

    /** The hosts the VM could move to now: every connected host but its own, in configuration order. */
    public List<String> targetsFor(DomainRef ref) {
        return hypervisor.hosts().stream()
                .filter(host ->
                        host.state() == HostState.CONNECTED && !host.name().equals(ref.host()))
                .map(HostStatus::name)
                .toList();
    }

    /** How the VM would move as it is now; empty when it cannot move in its state. */
    public Optional<MigrationMode> modeFor(DomainSummary vm) {
        return switch (vm.state()) {
            case RUNNING, BLOCKED, PAUSED -> Optional.of(MigrationMode.LIVE);
            case SHUT_OFF -> vm.managedSave() ? Optional.empty() : Optional.of(MigrationMode.OFFLINE);
            default -> Optional.empty();
        };
    }

    public boolean isMigrating(DomainRef ref) {
        return running.containsKey(ref);
    }

    /**
     * Moves the VM to {@code targetHost}: live when it runs, offline when it is shut off. Refusals fail the
     * future with {@link VmActionException} before libvirt is called (nothing changes); a failed or cancelled
     * migration with the hypervisor's exception (the VM stays where it was). Completes with the VM's reference
     * on its new host.
     *
     * @param copyStorage copy the disks (live only), for a target that does not share the VM's storage
     * @param bandwidthMiBps 0 for no limit, at most {@link #MAX_BANDWIDTH}
     * @param progress hears from a background thread about once a second while memory is copied
     */
    public CompletableFuture<DomainRef> migrate(
            DomainRef ref,
            String targetHost,
            boolean copyStorage,
            int bandwidthMiBps,
            Consumer<MigrationProgress> progress) {
        var actor = audit.actor();
        var vm = hypervisor.domain(ref).orElse(null);
        String target = targetHost == null ? "" : targetHost.strip();
        String refusal = refusal(vm, target, copyStorage, bandwidthMiBps);
        if (refusal == null && !operations.tryBeginMigration(ref)) {
            refusal = "Operation in progress: " + vm.name() + " is busy; wait until it ends.";
        }
        if (refusal != null) {
            record(actor, "VM_MIGRATE", ref, vm, "REFUSED", refusal);
            return CompletableFuture.failedFuture(new VmActionException(refusal));
        }
        var mode = modeFor(vm).orElseThrow();
        var options = new MigrationOptions(mode, copyStorage, bandwidthMiBps);
        var entry = new Running();
        running.put(ref, entry);
        String how = "to host " + target + ", " + mode.name().toLowerCase(Locale.ROOT)
                + (copyStorage ? ", disks copied" : "")
                + (bandwidthMiBps > 0 ? ", at most " + bandwidthMiBps + " MiB/s" : "");
        record(actor, "VM_MIGRATION_STARTED", ref, vm, "SUCCESS", how);
        // libvirt refuses to move a domain with snapshots: say so in the portal's words, before anything moves.
        CompletableFuture<DomainRef> result = hypervisor
                .snapshotNames(ref)
                .thenCompose(snapshots -> {
                    if (!snapshots.isEmpty()) {
                        throw new VmActionException(vm.name() + " has snapshots (" + String.join(", ", snapshots)
                                + "), and libvirt does not move snapshots between hosts. Delete them first, or keep "
                                + vm.name() + " on host " + ref.host() + ".");
                    }
                    return entry.begin(() -> migrator.migrate(ref, target, options, progress));
                })
                .thenApply(moved -> {
                    entry.carried = carryAccess(ref, moved);
                    return moved;
                })
                // Its volumes' ownership follows the disks that arrived; never fails the move.
                .thenCompose(moved -> volumes.follow(ref, moved).thenApply(problem -> {
                    entry.carried += problem;
                    return moved;
                }));
        return result.whenComplete((moved, error) -> {
            running.remove(ref, entry);
            operations.endMigration(ref);
            if (error == null) {
                record(
                        actor,
                        "VM_MIGRATED",
                        moved,
                        vm,
                        "SUCCESS",
                        "from host " + ref.host() + " " + how + entry.carried);
            } else {
                record(actor, "VM_MIGRATED", ref, vm, "FAILURE", VmService.messageOf(error));
            }
        });
    }

    /**
     * Cancels the VM's migration, whoever started it; the VM stays on its host unless it has switched over
     * already. The outcome comes through the future {@link #migrate} returned.
     *
     * @return false when no migration of this VM is under way
     */
    public boolean cancel(DomainRef ref) {
        var entry = running.get(ref);
        if (entry == null) {
            return false;
        }
        var vm = hypervisor.domain(ref).orElse(null);
        record(audit.actor(), "VM_MIGRATION_CANCEL", ref, vm, "SUCCESS", null);
        entry.cancel();
        return true;
    }

    /**
     * Carries grants and the clean-state mark to the VM's new reference. The VM has moved whatever happens
     * here: a database failure is reported with the move, not as a failed move.
     *
     * @return "" when carried, else what went wrong, for the audit entry
     */
    private String carryAccess(DomainRef from, DomainRef to) {
        try {
            grants.move(from, to);
            cleanSnapshots.move(from, to);
            return "";
        } catch (RuntimeException e) {
            log.error("{} moved to {}, but its grants and clean-state mark stayed with {}", from, to, from, e);
            return "; its grants could not be carried over (" + e.getMessage() + "): assign it again";
        }
    }

    private String refusal(DomainSummary vm, String target, boolean copyStorage, int bandwidthMiBps) {
        if (vm == null) {
            return NO_SUCH_VM;
        }
        String name = vm.name();
        // A template stays where its linked clones read its disk, and its mark is kept with its host.
        var protection = protections.reason(vm.ref(), name);
        if (protection.isPresent()) {
            return protection.get();
        }
        if (target.isEmpty()) {
            return "Choose the host to move " + name + " to.";
        }
        if (target.equals(vm.ref().host())) {
            return name + " is already on host " + target + "; choose another host.";
        }
        var hosts = hypervisor.hosts();
        var targetStatus =
                hosts.stream().filter(host -> host.name().equals(target)).findFirst();
        if (targetStatus.isEmpty()) {
            return "No host named " + target + " is configured.";
        }
        var sourceStatus = hosts.stream()
                .filter(host -> host.name().equals(vm.ref().host()))
                .findFirst()
                .orElse(null);
        if (sourceStatus == null || sourceStatus.state() != HostState.CONNECTED) {
            return "Host " + vm.ref().host() + " is not connected"
                    + (sourceStatus == null ? "" : " (" + sourceStatus.reason() + ")") + ": " + name
                    + " cannot be moved now.";
        }
        if (targetStatus.get().state() != HostState.CONNECTED) {
            return "Host " + target + " is not connected (" + targetStatus.get().reason() + "); choose another host.";
        }
        var mode = modeFor(vm);
        if (mode.isEmpty()) {
            return vm.managedSave() && vm.state() == PowerState.SHUT_OFF
                    ? name + " has a saved memory image on host " + vm.ref().host()
                            + ", which does not move: restore it (or start it) first."
                    : name + " is " + vm.state().label().toLowerCase(Locale.ROOT)
                            + ": only a running, paused or shut-off VM can be moved.";
        }
        if (mode.get() == MigrationMode.LIVE
                && (sourceStatus.simulated() || targetStatus.get().simulated())) {
            return name + " cannot move live to or from a simulated host (libvirt's test driver); shut it down to"
                    + " move it offline.";
        }
        if (copyStorage && mode.get() != MigrationMode.LIVE) {
            return "Disks are copied only when a running VM moves; " + name + " is shut off and its disks stay"
                    + " where they are.";
        }
        if (bandwidthMiBps < 0 || bandwidthMiBps > MAX_BANDWIDTH) {
            return "The bandwidth limit must be between 0 (no limit) and " + MAX_BANDWIDTH + " MiB/s.";
        }
        for (var other : hypervisor.domains()) {
            if (!other.ref().host().equals(target)) {
                continue;
            }
            if (other.ref().uuid().equals(vm.ref().uuid())) {
                return "Host " + target + " already has a VM with the UUID of " + name + " (" + other.name()
                        + "); remove it there first.";
            }
            if (other.name().equals(name)) {
                return "Host " + target + " already has a VM named " + name + ".";
            }
        }
        return null;
    }

    private void record(Actor actor, String action, DomainRef ref, DomainSummary vm, String result, String detail) {
        String target = ref.host() + "/" + (vm == null ? ref.uuid() : vm.name() + " (" + ref.uuid() + ")");
        audit.record(AuditEntry.of(actor, action, target, ref, null, result, detail));
    }

    /** One migration: cancel may come before the hypervisor has started it, during the pre-flight checks. */
    private static final class Running {
        private Migration migration;
        private boolean cancelled;
        private volatile String carried = "";

        synchronized CompletableFuture<DomainRef> begin(Supplier<Migration> start) {
            if (cancelled) {
                return CompletableFuture.failedFuture(
                        new VmActionException("The migration was cancelled before it started; nothing moved."));
            }
            migration = start.get();
            return migration.result();
        }

        void cancel() {
            Migration started;
            synchronized (this) {
                cancelled = true;
                started = migration;
            }
            if (started != null) {
                started.cancel();
            }
        }
    }
}
