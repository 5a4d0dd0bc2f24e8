package org.kvmportal.provisioning;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.kvmportal.access.Accounts;
import org.kvmportal.access.Role;
import org.kvmportal.audit.Actor;
import org.kvmportal.audit.AuditEntry;
import org.kvmportal.audit.AuditLog;
import org.kvmportal.base.Failures;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.HostState;
import org.kvmportal.hypervisor.Hypervisor;
import org.kvmportal.hypervisor.NewVm;
import org.kvmportal.hypervisor.PowerState;
import org.kvmportal.hypervisor.Provisioned;
import org.kvmportal.hypervisor.Provisioner;
import org.kvmportal.hypervisor.ProvisioningOptions;
import org.kvmportal.hypervisor.VmSource;
import org.kvmportal.vm.VmAccessPolicy;
import org.kvmportal.vm.VmCreators;
import org.kvmportal.vm.VmRight;
import org.kvmportal.vm.VmService;
import org.kvmportal.vm.VmVolumes;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.stereotype.Service;

/**
 * New VMs as the signed-in user may make them. Admins use every source on every host; everyone else creates
 * from the templates an admin opened for self-service, within their quotas. Admins and holders of the Manage
 * level clone stopped VMs. Every field is checked here, before any libvirt call, and a refusal creates nothing.
 * A VM a non-admin creates is assigned to them at the Manage level. Every attempt is audited.
 */
@Service
@PreAuthorize("isAuthenticated()")
public class ProvisioningService {

    private final Hypervisor hypervisor;
    private final Provisioner provisioner;
    private final VmTemplates templates;
    private final VmService vms;
    private final VmAccessPolicy policy;
    private final VmCreators creators;
    private final Accounts accounts;
    private final AuditLog audit;
    private final VmVolumes volumes;
    /** Users with a creation under way: one at a time each, so two at once cannot both pass the quota check. */
    private final Set<String> creating = ConcurrentHashMap.newKeySet();

    private final SecurityContextHolderStrategy securityContexts;

    ProvisioningService(
            Hypervisor hypervisor,
            Provisioner provisioner,
            VmTemplates templates,
            VmService vms,
            VmAccessPolicy policy,
            VmCreators creators,
            Accounts accounts,
            AuditLog audit,
            SecurityContextHolderStrategy securityContexts,
            VmVolumes volumes) {
        this.securityContexts = securityContexts;
        this.volumes = volumes;
        this.hypervisor = hypervisor;
        this.provisioner = provisioner;
        this.templates = templates;
        this.vms = vms;
        this.policy = policy;
        this.creators = creators;
        this.accounts = accounts;
        this.audit = audit;
    }

    /** Whether the user may use every source on every host (admins), not only self-service templates. */
    public boolean mayUseEverySource() {
        return isAdmin(currentUsername());
    }

    /** Whether the user may create anything at all: admins, and others when a self-service template exists. */
    public boolean mayCreate() {
        return mayUseEverySource() || !templates().isEmpty();
    }

    /** The connected hosts, for the wizard's host choice. */
    @PreAuthorize("hasRole('ADMIN')")
    public List<String> hosts() {
        return hypervisor.connectedHosts();
    }

    /** The host's pools, volumes, networks and firmware, for the wizard's choices. */
    @PreAuthorize("hasRole('ADMIN')")
    public CompletableFuture<ProvisioningOptions> options(String host) {
        return provisioner.options(host);
    }

    /** The templates the user may create from (admins: all; others: those open for self-service), by name. */
    public List<Template> templates() {
        boolean admin = isAdmin(currentUsername());
        return templates.all().entrySet().stream()
                .filter(entry -> admin || entry.getValue())
                .flatMap(entry ->
                        hypervisor.domain(entry.getKey()).stream().map(vm -> new Template(vm, entry.getValue())))
                .sorted(Comparator.comparing(template -> template.vm().name(), String.CASE_INSENSITIVE_ORDER))
                .toList();
    }

    /** The VM as a template, if it is one (admins only see templates that are not open for self-service). */
    public Optional<Template> template(DomainRef vm) {
        return templates().stream()
                .filter(template -> template.vm().ref().equals(vm))
                .findFirst();
    }

    /** The user's VMs, vCPUs and memory against their quotas. */
    public QuotaUsage quotaUsage() {
        var mine = vms.myVms();
        return new QuotaUsage(
                mine.size(),
                mine.stream().mapToInt(assigned -> assigned.vm().vcpus()).sum(),
                mine.stream()
                                .mapToLong(assigned -> assigned.vm().maxMemoryKiB())
                                .sum()
                        / 1024,
                vms.myQuotas());
    }

    /** The domain XML {@link #create} would define for this request; refusals as for {@link #create}. */
    public CompletableFuture<String> preview(NewVmRequest request) {
        try {
            var spec = check(request);
            return checkChoices(request, spec).thenCompose(provisioner::preview);
        } catch (ProvisioningInputException refused) {
            return CompletableFuture.failedFuture(refused);
        }
    }

    /**
     * Creates the VM. Refusals (any field, the quota, the rights) fail the future with {@link
     * ProvisioningInputException} before libvirt is called and create nothing.
     */
    public CompletableFuture<Provisioned> create(NewVmRequest request) {
        var actor = audit.actor();
        NewVm spec;
        try {
            spec = check(request);
        } catch (ProvisioningInputException refused) {
            record(actor, "VM_CREATED", request.host(), request.name(), null, "REFUSED", refused.getMessage());
            return CompletableFuture.failedFuture(refused);
        }
        return exclusively(
                actor,
                spec,
                "VM_CREATED",
                describe(spec),
                () -> checkChoices(request, spec).thenCompose(provisioner::create));
    }

    /** Whether the user may clone this VM now: admins and Manage holders, while it is shut off. */
    public boolean mayClone(DomainRef vm) {
        return policy.rights(currentUsername(), vm).contains(VmRight.MANAGE)
                && hypervisor
                        .domain(vm)
                        .map(found -> found.state() == PowerState.SHUT_OFF)
                        .orElse(false);
    }

    /** The domain XML {@link #cloneVm} would define. */
    public CompletableFuture<String> previewClone(CloneRequest request) {
        try {
            var spec = checkClone(request);
            return copyable(currentUsername(), request.source()).thenCompose(ok -> provisioner.preview(spec));
        } catch (ProvisioningInputException refused) {
            return CompletableFuture.failedFuture(refused);
        }
    }

    /**
     * Clones a stopped VM on its host: new name, UUID and MACs, disks copied or linked. Non-admins clone only VMs
     * whose disks and media they may use themselves (ADR 13); the copies belong to the new VM.
     */
    public CompletableFuture<Provisioned> cloneVm(CloneRequest request) {
        var actor = audit.actor();
        NewVm spec;
        try {
            spec = checkClone(request);
        } catch (ProvisioningInputException refused) {
            String host = request.source() == null ? null : request.source().host();
            record(actor, "VM_CLONED", host, request.name(), null, "REFUSED", refused.getMessage());
            return CompletableFuture.failedFuture(refused);
        }
        return exclusively(
                actor,
                spec,
                "VM_CLONED",
                describe(spec),
                () -> copyable(actor.username(), request.source()).thenCompose(ok -> provisioner.create(spec)));
    }

    /** Fails with {@link ProvisioningInputException} when the user may not copy the VM's disks and media. */
    private CompletableFuture<Void> copyable(String username, DomainRef source) {
        return volumes.copyRefusal(username, source).thenAccept(refusal -> {
            if (refusal != null) {
                throw new ProvisioningInputException("source", refusal);
            }
        });
    }

    /** Makes a shut-off VM a template; {@code selfService} lets users create their own VMs from it. */
    @PreAuthorize("hasRole('ADMIN')")
    public void markTemplate(DomainRef ref, boolean selfService) {
        var vm = hypervisor
                .domain(ref)
                .orElseThrow(() -> new ProvisioningInputException("", "That virtual machine no longer exists."));
        if (vm.state() != PowerState.SHUT_OFF) {
            throw new ProvisioningInputException(
                    "", "Shut " + vm.name() + " down first: a template's disks must not change once VMs use them.");
        }
        templates.mark(ref, selfService, currentUsername());
        record(
                audit.actor(),
                "TEMPLATE_MARKED",
                ref,
                vm.name(),
                "SUCCESS",
                selfService ? "open for self-service" : "admins only");
    }

    @PreAuthorize("hasRole('ADMIN')")
    public void unmarkTemplate(DomainRef ref) {
        if (templates.unmark(ref)) {
            String name = hypervisor
                    .domain(ref)
                    .map(DomainSummary::name)
                    .orElse(ref.uuid().toString());
            record(audit.actor(), "TEMPLATE_UNMARKED", ref, name, "SUCCESS", null);
        }
    }

    // ---- checks, all before any libvirt call ----

    private NewVm check(NewVmRequest request) {
        String username = currentUsername();
        if (accounts.actingIdentity(username).isEmpty()) {
            throw new ProvisioningAccessRefusedException("", "Your account may not create virtual machines now.");
        }
        boolean admin = isAdmin(username);
        if (request.source() == null) {
            throw new ProvisioningInputException("source", "Choose what the new virtual machine starts from.");
        }
        String name = NewVmInput.name(request.name());
        String description = NewVmInput.description(request.description());
        int vcpus = NewVmInput.vcpus(request.vcpus());
        long memory = NewVmInput.memory(request.memoryMib());
        String host;
        long diskGib = 0;
        String pool = request.pool();
        switch (request.source()) {
            case VmSource.CopyOf copy -> {
                var template = templates.all().get(new DomainRef(String.valueOf(request.host()), copy.domain()));
                var vm = template == null
                        ? null
                        : hypervisor
                                .domain(new DomainRef(request.host(), copy.domain()))
                                .orElse(null);
                if (vm == null || !(admin || template)) {
                    throw new ProvisioningAccessRefusedException("template", "Choose one of the templates offered.");
                }
                requireShutOff(vm, "template");
                host = vm.ref().host();
                if (!admin) {
                    pool = null; // beside the template's disks: users do not choose storage
                }
            }
            case VmSource.IsoInstall iso -> {
                requireAdmin(admin);
                host = connectedHost(request.host());
                diskGib = NewVmInput.diskSize(request.diskGib());
            }
            case VmSource.ExistingDisk disk -> {
                requireAdmin(admin);
                host = connectedHost(request.host());
                pool = null;
            }
        }
        requireNameFree(host, name);
        if (!admin) {
            requireQuota(vcpus, memory);
        }
        return new NewVm(
                host,
                name,
                description,
                request.uuid() == null ? UUID.randomUUID() : request.uuid(),
                request.source(),
                request.osVariant(),
                vcpus,
                memory,
                diskGib,
                pool,
                request.network(),
                request.firmware(),
                request.start());
    }

    /** The pools, volumes, networks and firmware chosen, against what the host lists now. */
    private CompletableFuture<NewVm> checkChoices(NewVmRequest request, NewVm spec) {
        boolean listed = !(spec.source() instanceof VmSource.CopyOf) || spec.pool() != null;
        if (!listed) {
            return CompletableFuture.completedFuture(spec);
        }
        return provisioner.options(spec.host()).thenApply(options -> {
            NewVmInput.choices(request, options);
            return spec;
        });
    }

    private NewVm checkClone(CloneRequest request) {
        String username = currentUsername();
        var source = request.source() == null
                ? null
                : hypervisor.domain(request.source()).orElse(null);
        if (source == null || !policy.rights(username, source.ref()).contains(VmRight.MANAGE)) {
            // The same answer for "does not exist" and "not yours".
            throw new ProvisioningAccessRefusedException("source", "That virtual machine no longer exists.");
        }
        requireShutOff(source, "source");
        String name = NewVmInput.name(request.name());
        String description = NewVmInput.description(request.description());
        requireNameFree(source.ref().host(), name);
        int vcpus = source.vcpus();
        long memory = Math.max(source.maxMemoryKiB() / 1024, 1);
        if (!isAdmin(username)) {
            requireQuota(vcpus, memory);
        }
        return new NewVm(
                source.ref().host(),
                name,
                description,
                request.uuid() == null ? UUID.randomUUID() : request.uuid(),
                new VmSource.CopyOf(source.ref().uuid(), request.linked()),
                null,
                vcpus,
                memory,
                0,
                null,
                null,
                null,
                false);
    }

    private static void requireAdmin(boolean admin) {
        if (!admin) {
            throw new ProvisioningAccessRefusedException(
                    "source", "Only administrators install from ISO images or import disks; choose a template.");
        }
    }

    private static void requireShutOff(DomainSummary vm, String field) {
        if (vm.state() != PowerState.SHUT_OFF) {
            throw new ProvisioningInputException(
                    field,
                    vm.name() + " is " + vm.state().label().toLowerCase(Locale.ROOT)
                            + ": shut it down first (its disks must not change while they are copied or linked).");
        }
    }

    private String connectedHost(String host) {
        var found = hypervisor.hosts().stream()
                .filter(status -> status.name().equals(host))
                .findFirst()
                .orElseThrow(() -> new ProvisioningInputException("host", "Choose one of the hosts offered."));
        if (found.state() != HostState.CONNECTED) {
            throw new ProvisioningInputException(
                    "host", "Host " + host + " is not connected (" + found.reason() + ").");
        }
        return host;
    }

    private void requireNameFree(String host, String name) {
        boolean taken = hypervisor.domains().stream()
                .anyMatch(vm -> vm.ref().host().equals(host) && vm.name().equalsIgnoreCase(name));
        if (taken) {
            throw new ProvisioningInputException(
                    "name", "A virtual machine named " + name + " already exists on host " + host + ".");
        }
    }

    private void requireQuota(int vcpus, long memoryMib) {
        String refusal = quotaUsage().refusal(vcpus, memoryMib);
        if (refusal != null) {
            throw new ProvisioningInputException("", refusal);
        }
    }

    // ---- creating ----

    /**
     * Runs one creation for the user (a second one at the same time is refused, so that both cannot pass the
     * quota check), assigns the result to a non-admin creator, and audits the outcome.
     */
    private CompletableFuture<Provisioned> exclusively(
            Actor actor,
            NewVm spec,
            String action,
            String detail,
            java.util.function.Supplier<CompletableFuture<Provisioned>> creation) {
        String username = actor.username();
        if (!creating.add(username)) {
            String busy = "You are creating another virtual machine already; wait until it is done.";
            record(actor, action, spec.ref(), spec.name(), "REFUSED", busy);
            return CompletableFuture.failedFuture(new ProvisioningInputException("", busy));
        }
        boolean assign = !isAdmin(username);
        SecurityContext caller = securityContexts.getContext();
        CompletableFuture<Provisioned> created;
        try {
            created = creation.get();
        } catch (RuntimeException e) {
            created = CompletableFuture.failedFuture(e);
        }
        return created.thenApply(done -> {
                    recordVolumes(done, username);
                    if (assign) {
                        asCaller(caller, () -> creators.assignToCreator(done.ref()));
                    }
                    return done;
                })
                .whenComplete((done, error) -> {
                    creating.remove(username);
                    String outcome = error != null
                            ? VmService.messageOf(error)
                            : done.startError() == null ? detail : detail + "; not started: " + done.startError();
                    String result = error == null ? "SUCCESS" : refused(error) ? "REFUSED" : "FAILURE";
                    record(actor, action, spec.ref(), spec.name(), result, outcome);
                });
    }

    /**
     * The new VM's volumes are its own. Should the record fail, they stay without one, so the admins' (the safe
     * side): logged, the VM stands.
     */
    private void recordVolumes(Provisioned done, String username) {
        try {
            volumes.madeFor(done.ref(), done.volumes(), username);
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(ProvisioningService.class)
                    .error("Could not record {}'s volumes {} as its own", done.ref(), done.volumes(), e);
        }
    }

    private String describe(NewVm spec) {
        String from = switch (spec.source()) {
            case VmSource.IsoInstall iso -> "installed from " + iso.pool() + "/" + iso.volume();
            case VmSource.ExistingDisk disk -> "imported disk " + disk.pool() + "/" + disk.volume();
            case VmSource.CopyOf copy ->
                (copy.linked() ? "linked clone of " : "full copy of ")
                        + hypervisor
                                .domain(new DomainRef(spec.host(), copy.domain()))
                                .map(DomainSummary::name)
                                .orElse(copy.domain().toString());
        };
        return from + ", " + spec.vcpus() + " vCPU, " + spec.memoryMib() + " MiB";
    }

    private static boolean refused(Throwable error) {
        Throwable cause = Failures.causeOf(error);
        return cause instanceof ProvisioningInputException;
    }

    /** Completions run on libvirt's threads, which know no signed-in user: lend them the caller's. */
    /**
     * Runs {@code work} on this (pool) thread as the caller. Through the strategy that method security uses:
     * the static holder may be another application context's when several run in one JVM.
     */
    private void asCaller(SecurityContext caller, Runnable work) {
        var previous = securityContexts.getContext();
        securityContexts.setContext(caller);
        try {
            work.run();
        } finally {
            securityContexts.setContext(previous);
        }
    }

    private boolean isAdmin(String username) {
        return accounts.actingIdentity(username)
                .map(identity -> identity.has(Role.ADMIN))
                .orElse(false);
    }

    private void record(
            Actor actor, String action, String host, String name, DomainRef ref, String result, String detail) {
        String target = (host == null ? "?" : host) + "/" + (name == null || name.isEmpty() ? "(no name)" : name);
        audit.record(AuditEntry.of(actor, action, target, ref, null, result, detail));
    }

    private void record(Actor actor, String action, DomainRef ref, String name, String result, String detail) {
        record(actor, action, ref.host(), name + " (" + ref.uuid() + ")", ref, result, detail);
    }

    private String currentUsername() {
        return securityContexts.getContext().getAuthentication().getName();
    }
}
