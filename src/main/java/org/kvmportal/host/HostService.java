package org.kvmportal.host;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.kvmportal.audit.Actor;
import org.kvmportal.audit.AuditEntry;
import org.kvmportal.audit.AuditLog;
import org.kvmportal.base.CurrentUser;
import org.kvmportal.base.InputRefusedException;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.HostFacts;
import org.kvmportal.hypervisor.HostStatus;
import org.kvmportal.hypervisor.Hypervisor;
import org.kvmportal.hypervisor.PowerState;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Hypervisor hosts for admins: list them, test a connection, add, change and remove them. A host that does
 * not answer is saved only when the admin asks for it explicitly ({@code evenIfUnreachable}).
 */
@Service
@PreAuthorize("hasRole('ADMIN')")
public class HostService {

    private final CurrentUser caller;

    private final Hypervisor hypervisor;
    private final HostRecordRepository repository;
    private final TransactionTemplate transactions;
    private final AuditLog audit;
    private final Clock clock = Clock.systemUTC();

    HostService(
            Hypervisor hypervisor,
            HostRecordRepository repository,
            TransactionTemplate transactions,
            AuditLog audit,
            CurrentUser caller) {
        this.caller = caller;
        this.hypervisor = hypervisor;
        this.repository = repository;
        this.transactions = transactions;
        this.audit = audit;
    }

    public List<HostRow> rows() {
        var domains = hypervisor.domains();
        // One query for all rows: the page refreshes on every host event.
        var stored = repository.findAll().stream().map(HostRecord::name).collect(Collectors.toSet());
        return hypervisor.hosts().stream()
                .map(status -> new HostRow(
                        status,
                        stored.contains(status.name()),
                        count(domains, status.name(), true),
                        count(domains, status.name(), false)))
                .toList();
    }

    public CompletableFuture<HostFacts> facts(String name) {
        return hypervisor.facts(name);
    }

    /** Connects to {@code uri} once, without saving anything. Input errors fail the future too. */
    public CompletableFuture<HostFacts> test(String uri) {
        return InputRefusedException.failedIfRefused(() -> hypervisor.probe(HostInput.uri(uri)));
    }

    public CompletableFuture<Void> add(String name, String uri, boolean evenIfUnreachable) {
        var actor = audit.actor();
        String cleanName;
        String cleanUri;
        try {
            cleanName = HostInput.name(name);
            cleanUri = HostInput.uri(uri);
            requireFreeName(cleanName, null);
        } catch (HostInputException e) {
            return CompletableFuture.failedFuture(e);
        }
        return reachable(cleanUri, evenIfUnreachable).thenRun(() -> {
            transactions.executeWithoutResult(
                    tx -> repository.save(new HostRecord(cleanName, cleanUri, clock.instant())));
            hypervisor.addHost(cleanName, cleanUri);
            record(actor, "HOST_ADD", cleanName, cleanUri);
        });
    }

    public CompletableFuture<Void> change(String currentName, String name, String uri, boolean evenIfUnreachable) {
        var actor = audit.actor();
        String cleanName;
        String cleanUri;
        try {
            editable(currentName);
            cleanName = HostInput.name(name);
            cleanUri = HostInput.uri(uri);
            requireFreeName(cleanName, currentName);
        } catch (HostInputException e) {
            return CompletableFuture.failedFuture(e);
        }
        return reachable(cleanUri, evenIfUnreachable).thenRun(() -> {
            transactions.executeWithoutResult(tx -> editable(currentName).change(cleanName, cleanUri));
            hypervisor.removeHost(currentName);
            hypervisor.addHost(cleanName, cleanUri);
            record(actor, "HOST_CHANGE", currentName, cleanName + " " + cleanUri);
        });
    }

    public void remove(String name) {
        transactions.executeWithoutResult(tx -> repository.delete(editable(name)));
        hypervisor.removeHost(name);
        record(audit.actor(), "HOST_REMOVE", name, null);
    }

    private CompletableFuture<Void> reachable(String uri, boolean evenIfUnreachable) {
        var probe = hypervisor.probe(uri).thenApply(facts -> (Void) null);
        return evenIfUnreachable ? probe.exceptionally(error -> null) : probe;
    }

    private HostRecord editable(String name) {
        return repository
                .findByName(name)
                .orElseThrow(() -> new HostInputException(
                        "", "Host " + name + " comes from the configuration file and can only be changed there."));
    }

    private void requireFreeName(String name, String except) {
        boolean taken = hypervisor.hosts().stream()
                .map(HostStatus::name)
                .filter(existing -> !existing.equals(except))
                .anyMatch(existing -> existing.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)));
        if (taken) {
            throw new HostInputException("name", "There already is a host named " + name + ".");
        }
    }

    private static long count(List<DomainSummary> domains, String host, boolean runningOnly) {
        return domains.stream()
                .filter(vm -> vm.ref().host().equals(host))
                .filter(vm -> !runningOnly || vm.state() == PowerState.RUNNING)
                .count();
    }

    private void record(Actor actor, String action, String target, String detail) {
        audit.record(AuditEntry.of(actor, action, target, null, null, "SUCCESS", detail));
    }
}
