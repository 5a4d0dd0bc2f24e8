package org.kvmportal.audit;

import com.vaadin.flow.server.VaadinRequest;
import java.io.Writer;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.kvmportal.base.CurrentUser;
import org.kvmportal.hypervisor.DomainRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The audit log: append-only. Anyone may {@link #record} an entry; reading is for signed-in users, with the
 * access rule enforced here: admins read every entry, everyone else only the entries about VMs that the
 * {@link AuditVisibility} bean says they may see (none when there is no such bean). Nothing here, nor
 * anywhere else, updates or deletes entries, except the retention purge ({@code kvmportal.audit.retention}).
 */
@Service
public class AuditLog {

    private final CurrentUser caller;

    /** Most rows one CSV export holds; a larger result ends with a note row saying so. */
    public static final int EXPORT_LIMIT = 100_000;

    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final String ADMIN = "ROLE_ADMIN";

    private final AuditEventRepository repository;
    private final AuditStore store;
    private final ObjectProvider<AuditVisibility> visibility;
    private final TransactionTemplate ownTransaction;
    private final Clock clock = Clock.systemUTC();

    AuditLog(
            AuditEventRepository repository,
            AuditStore store,
            ObjectProvider<AuditVisibility> visibility,
            PlatformTransactionManager transactions,
            CurrentUser caller) {
        this.caller = caller;
        this.repository = repository;
        this.store = store;
        this.visibility = visibility;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * Who is acting, taken now: the signed-in user, their roles, and the client address of the HTTP request this
     * thread serves (as Spring sees it: behind a proxy set {@code server.forward-headers-strategy}, the portal never
     * reads {@code X-Forwarded-For} itself), else the address they signed in from. Call it where the action
     * starts, on the request's thread, and hand it to {@link AuditEntry#of} wherever the entry is written.
     */
    public Actor actor() {
        return Actor.of(caller.authentication(), currentClient());
    }

    /**
     * Appends an entry as given, with the time (now) when it has none. Role and client come from the entry's
     * {@link Actor}, never from the thread that writes it: that may serve another request, or none.
     *
     * <p>Open to every caller, and written in a transaction of its own, so that the entry stays even when the
     * caller's transaction rolls back (a failed or refused action is audited too). It never throws: by the time
     * an action is recorded it has happened (a VM was stopped), and failing the caller would only misreport it.
     * A write that fails is logged at ERROR with the whole entry, so that the application log keeps the record.
     */
    public void record(AuditEntry entry) {
        AuditEntry complete = complete(entry);
        try {
            ownTransaction.executeWithoutResult(status -> repository.save(new AuditEvent(complete)));
        } catch (RuntimeException e) {
            log.error("AUDIT ENTRY NOT STORED, kept here instead: {}", complete, e);
        }
    }

    /** Matching entries the caller may see, newest first. */
    @Transactional(readOnly = true)
    @PreAuthorize("isAuthenticated()")
    public List<AuditEntry> search(AuditQuery query, int offset, int limit) {
        Set<DomainRef> visible = visibleToCaller();
        if (visible != null && visible.isEmpty()) {
            return List.of();
        }
        return store.find(query, visible, Math.max(0, offset), Math.clamp(limit, 1, 1000));
    }

    /** How many entries {@link #search} would find without paging. */
    @Transactional(readOnly = true)
    @PreAuthorize("isAuthenticated()")
    public int count(AuditQuery query) {
        Set<DomainRef> visible = visibleToCaller();
        return visible != null && visible.isEmpty() ? 0 : store.count(query, visible);
    }

    /** The newest entries, for admins. */
    @Transactional(readOnly = true)
    @PreAuthorize("hasRole('ADMIN')")
    public List<AuditEntry> latest(int count) {
        return store.find(AuditQuery.ALL, null, 0, Math.clamp(count, 1, 1000));
    }

    /** The action names that occur in the log, for filters. */
    @Transactional(readOnly = true)
    @PreAuthorize("isAuthenticated()")
    public List<String> actions() {
        return store.actions();
    }

    /**
     * Writes every entry matching the query that the caller may see (same rule as {@link #search}) as CSV, newest
     * first, streamed from the database, at most {@link #EXPORT_LIMIT} rows. The export itself is audited.
     *
     * @return how many entries were written
     */
    @Transactional(readOnly = true)
    @PreAuthorize("isAuthenticated()")
    public CsvExport exportCsv(AuditQuery query, Writer out) {
        Set<DomainRef> visible = visibleToCaller();
        var csv = new AuditCsv(out);
        csv.header();
        int[] rows = {0};
        boolean truncated = false;
        if (visible == null || !visible.isEmpty()) {
            store.forEach(query, visible, EXPORT_LIMIT + 1, entry -> {
                if (rows[0] < EXPORT_LIMIT) {
                    csv.entry(entry);
                }
                rows[0]++;
            });
            truncated = rows[0] > EXPORT_LIMIT;
        }
        if (truncated) {
            csv.row(List.of("export stopped after " + EXPORT_LIMIT + " rows: narrow the filter to see the rest"));
        }
        var export = new CsvExport(Math.min(rows[0], EXPORT_LIMIT), truncated);
        record(AuditEntry.of(
                actor(),
                "AUDIT_EXPORTED",
                null,
                null,
                null,
                "SUCCESS",
                export.rows() + (truncated ? " rows (truncated); " : " rows; ") + query));
        return export;
    }

    /** What an export wrote: its rows, and whether it stopped at {@link #EXPORT_LIMIT}. */
    public record CsvExport(int rows, boolean truncated) {}

    /** The VMs whose entries the caller may read, or null for all entries (admins). */
    private Set<DomainRef> visibleToCaller() {
        Authentication user = caller.authentication();
        if (user == null) {
            return Set.of();
        }
        if (user.getAuthorities().stream().anyMatch(authority -> ADMIN.equals(authority.getAuthority()))) {
            return null;
        }
        AuditVisibility rule = visibility.getIfAvailable();
        Set<DomainRef> visible = rule == null ? null : rule.vmsVisibleTo(user.getName());
        return visible == null ? Set.of() : Set.copyOf(visible);
    }

    private AuditEntry complete(AuditEntry entry) {
        if (entry.time() != null) {
            return entry;
        }
        return new AuditEntry(
                clock.instant(),
                entry.username(),
                entry.role(),
                entry.client(),
                entry.action(),
                entry.target(),
                entry.vm(),
                entry.reason(),
                entry.result(),
                entry.detail());
    }

    /**
     * The client address of the HTTP request this thread is serving, if any: Spring's request context (set for
     * every request, Vaadin's included), else Vaadin's current request. Both report the address after Spring's
     * forwarded-header handling.
     */
    static String currentClient() {
        try {
            if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
                return attributes.getRequest().getRemoteAddr();
            }
            var vaadin = VaadinRequest.getCurrent();
            return vaadin == null ? null : vaadin.getRemoteAddr();
        } catch (RuntimeException e) {
            // A request that has ended: no address rather than no entry.
            return null;
        }
    }
}
