package org.kvmportal.access;

import org.kvmportal.audit.AuditEntry;
import org.kvmportal.audit.AuditLog;
import org.kvmportal.base.CurrentUser;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * What user and group changes share: who makes them, the rule that admins remain, the audit entry and
 * ending sessions once the change is committed.
 */
@Component
class AdminChanges {

    private final CurrentUser caller;

    private final UserAccountRepository users;
    private final UserQueries queries;
    private final Accounts accounts;
    private final AuditLog audit;
    private final SignedInSessions sessions;
    private final OutdatedSessions outdated;

    AdminChanges(
            UserAccountRepository users,
            UserQueries queries,
            Accounts accounts,
            AuditLog audit,
            SignedInSessions sessions,
            OutdatedSessions outdated,
            CurrentUser caller) {
        this.caller = caller;
        this.users = users;
        this.queries = queries;
        this.accounts = accounts;
        this.audit = audit;
        this.sessions = sessions;
        this.outdated = outdated;
    }

    /**
     * Checked after the change, inside its transaction, so that every path is covered (own role, group role,
     * group membership, a deleted group, a disabled account): throwing rolls the change back. Counted from
     * the database, not from the caller's session, which may say ADMIN long after it stopped being true.
     */
    void requireAdminsRemain(String field) {
        users.flush();
        if (queries.enabledAdmins() == 0) {
            throw new AccessInputException(
                    field, "This would leave no enabled admin: make someone else an admin first.");
        }
    }

    /** For changes to a group the admin belongs to: leaving or weakening it must not demote them. */
    void requireStillAdmin(String field) {
        users.flush();
        if (!accounts.currentRoles(caller.username()).contains(Role.ADMIN)) {
            throw new AccessInputException(field, "This would take the ADMIN role from you; another admin can.");
        }
    }

    boolean isMember(UserGroup group) {
        return users.findByUsername(caller.username())
                .map(account -> group.memberIds().contains(account.id()))
                .orElse(false);
    }

    /** Ends the user's sessions only if the change commits: a refused change must not sign anyone out. */
    void endSessionsAfterCommit(String username) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                sessions.endAll(username);
            }
        });
    }

    /**
     * Records the change. Every change records, so this is also where every change, once committed, ends the
     * sessions whose roles it made outdated: whoever's roles it changed, by whatever path, without each
     * method having to know whom it affects. Never pass a password in {@code detail}.
     */
    void record(String action, String target, String detail) {
        outdated.endAfterCommit(null, audit.actor());
        audit.record(AuditEntry.of(audit.actor(), action, target, null, null, "SUCCESS", detail));
    }

    /** Who makes the change. */
    String currentUser() {
        return caller.username();
    }
}
