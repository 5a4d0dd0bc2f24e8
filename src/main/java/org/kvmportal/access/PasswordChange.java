package org.kvmportal.access;

import org.kvmportal.audit.AuditEntry;
import org.kvmportal.audit.AuditLog;
import org.kvmportal.base.CurrentUser;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The signed-in user's own password: whether they must change it, and changing it. */
@Service
@PreAuthorize("isAuthenticated()")
public class PasswordChange {

    private final CurrentUser caller;

    private final UserAccountRepository repository;
    private final PasswordEncoder passwordEncoder;
    private final AuditLog audit;
    private final LoginThrottle throttle;

    PasswordChange(
            UserAccountRepository repository,
            PasswordEncoder passwordEncoder,
            AuditLog audit,
            LoginThrottle throttle,
            CurrentUser caller) {
        this.caller = caller;
        this.repository = repository;
        this.passwordEncoder = passwordEncoder;
        this.audit = audit;
        this.throttle = throttle;
    }

    /** True after an admin set a temporary password: nothing else may be used until it is replaced. */
    @PreAuthorize("isAuthenticated()")
    @Transactional(readOnly = true)
    public boolean required() {
        return repository
                .findByUsername(caller.username())
                .map(UserAccount::mustChangePassword)
                .orElse(false);
    }

    /** False for single sign-on accounts, whose password lives with their identity provider. */
    @PreAuthorize("isAuthenticated()")
    @Transactional(readOnly = true)
    public boolean possible() {
        return repository
                .findByUsername(caller.username())
                .map(account -> account.authSource() == AuthSource.LOCAL)
                .orElse(false);
    }

    @PreAuthorize("isAuthenticated()")
    @Transactional
    public void change(String currentPassword, String newPassword) {
        var account = repository
                .findByUsername(caller.username())
                .orElseThrow(() -> new AccessInputException("", "Your account no longer exists."));
        if (account.authSource() != AuthSource.LOCAL) {
            throw new AccessInputException(
                    "", "You sign in through " + account.authSource() + ": change your password there.");
        }
        // Guessing the current password here counts like guessing it at sign-in: an unattended session must
        // not become a way to try passwords without limit.
        if (throttle.isBlocked(account.username())) {
            throw new AccessInputException("currentPassword", new LoginThrottledException().getMessage());
        }
        if (currentPassword == null || !passwordEncoder.matches(currentPassword, account.passwordHash())) {
            throttle.recordFailure(account.username());
            throw new AccessInputException("currentPassword", "This is not your current password.");
        }
        AccessInput.password("newPassword", newPassword);
        if (newPassword.equals(currentPassword)) {
            throw new AccessInputException("newPassword", "Choose a password other than your current one.");
        }
        account.setPassword(passwordEncoder.encode(newPassword), false);
        audit.record(AuditEntry.of(audit.actor(), "PASSWORD_CHANGED", account.username(), null, null, "SUCCESS", null));
    }
}
