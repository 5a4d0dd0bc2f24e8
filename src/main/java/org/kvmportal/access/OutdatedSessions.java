package org.kvmportal.access;

import java.util.Collection;
import java.util.List;
import org.kvmportal.audit.Actor;
import org.kvmportal.audit.AuditEntry;
import org.kvmportal.audit.AuditLog;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Ends the sessions whose roles a change made outdated, once that change is committed, and audits it. A
 * refused (rolled back) change signs nobody out, and the roles compared are the committed ones.
 */
@Component
class OutdatedSessions {

    static final String AUDIT_ACTION = "SESSIONS_ENDED";

    private final SignedInSessions sessions;
    private final AuditLog audit;

    OutdatedSessions(SignedInSessions sessions, AuditLog audit) {
        this.sessions = sessions;
        this.audit = audit;
    }

    /**
     * @param usernames whose sessions to compare, or null for every signed-in user
     * @param actor who made the change, for the audit entry
     */
    void endAfterCommit(Collection<String> usernames, Actor actor) {
        var only = usernames == null ? null : List.copyOf(usernames);
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            end(only, actor);
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                end(only, actor);
            }
        });
    }

    /** After a single sign-on sign-in changed the person's roles: their other sessions, audited as their act. */
    void endAfterSignIn(String username, Collection<Role> roles) {
        String held = roles.stream().map(Role::name).sorted().collect(java.util.stream.Collectors.joining(","));
        endAfterCommit(
                List.of(username), new Actor(username, held, audit.actor().client()));
    }

    private void end(List<String> usernames, Actor actor) {
        for (var outdated : sessions.endOutdated(usernames)) {
            audit.record(AuditEntry.of(
                    actor,
                    AUDIT_ACTION,
                    outdated.username(),
                    null,
                    null,
                    "SUCCESS",
                    outdated.sessions() + " session(s) held roles " + String.join(",", outdated.heldRoles())
                            + "; the user now has "
                            + (outdated.currentRoles().isEmpty()
                                    ? "none"
                                    : String.join(",", outdated.currentRoles()))));
        }
    }
}
