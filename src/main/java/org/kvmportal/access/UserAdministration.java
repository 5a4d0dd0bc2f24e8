package org.kvmportal.access;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Accounts for admins: find, create, edit, disable, delete and reset passwords. Input is checked here,
 * whatever the form did, and a refusal names its field ({@link AccessInputException}). Admins cannot lock
 * themselves out, and the last enabled admin stays.
 */
@Service
@PreAuthorize("hasRole('ADMIN')")
public class UserAdministration {

    private final UserAccountRepository repository;
    private final UserQueries queries;
    private final PasswordEncoder passwordEncoder;
    private final AdminChanges changes;
    private final Clock clock = Clock.systemUTC();

    UserAdministration(
            UserAccountRepository repository,
            UserQueries queries,
            PasswordEncoder passwordEncoder,
            AdminChanges changes) {
        this.repository = repository;
        this.queries = queries;
        this.passwordEncoder = passwordEncoder;
        this.changes = changes;
    }

    /** Users whose name, display name or e-mail contains {@code filter} (any case), by user name. */
    @PreAuthorize("hasRole('ADMIN')")
    @Transactional(readOnly = true)
    public List<ManagedUser> list(String filter, int offset, int limit) {
        return queries.search(filter, offset, limit);
    }

    @PreAuthorize("hasRole('ADMIN')")
    @Transactional(readOnly = true)
    public int count(String filter) {
        return queries.count(filter);
    }

    @PreAuthorize("hasRole('ADMIN')")
    @Transactional(readOnly = true)
    public Optional<ManagedUser> find(String username) {
        return queries.find(username);
    }

    /** Creates a local account; its first password is temporary (changed at the first sign-in). */
    @PreAuthorize("hasRole('ADMIN')")
    @Transactional
    public void create(NewUser user) {
        String username = AccessInput.username(user.username());
        if (repository.existsByUsernameIgnoreCase(username)) {
            throw new AccessInputException("username", "There already is a user named " + username + ".");
        }
        String displayName = AccessInput.displayName(user.displayName());
        String email = AccessInput.email(user.email());
        var roles = AccessInput.roles(user.roles());
        String password = AccessInput.password("password", user.password());
        String hash = passwordEncoder.encode(password);
        var account = new UserAccount(username, displayName, hash, roles, clock.instant());
        account.setEmail(email);
        account.setPassword(hash, true);
        repository.save(account);
        changes.record("USER_CREATED", username, "roles " + names(roles) + (email == null ? "" : ", e-mail " + email));
    }

    @PreAuthorize("hasRole('ADMIN')")
    @Transactional
    public void update(String username, UserChanges edit) {
        var account = existing(username);
        String displayName = AccessInput.displayName(edit.displayName());
        String email = AccessInput.email(edit.email());
        var roles = AccessInput.roles(edit.roles());
        var quotas = AccessInput.quotas(edit.quotas());
        if (isCurrentUser(username) && account.roles().contains(Role.ADMIN) && !roles.contains(Role.ADMIN)) {
            throw new AccessInputException("roles", "You cannot take the ADMIN role from yourself; another admin can.");
        }
        String before = describe(account);
        account.setDisplayName(displayName);
        account.setEmail(email);
        account.setRoles(roles);
        account.setQuotas(quotas);
        changes.requireAdminsRemain("roles");
        String after = describe(account);
        if (!before.equals(after)) {
            changes.record("USER_UPDATED", account.username(), after);
        }
    }

    /** Disabling ends the user's sessions at once; their open consoles close on their next re-check. */
    @PreAuthorize("hasRole('ADMIN')")
    @Transactional
    public void setEnabled(String username, boolean enabled) {
        var account = existing(username);
        if (!enabled && isCurrentUser(username)) {
            throw new AccessInputException("", "You cannot disable your own account.");
        }
        if (account.enabled() == enabled) {
            return;
        }
        account.setEnabled(enabled);
        if (!enabled) {
            changes.requireAdminsRemain("");
            changes.endSessionsAfterCommit(account.username());
        }
        changes.record(enabled ? "USER_ENABLED" : "USER_DISABLED", account.username(), null);
    }

    @PreAuthorize("hasRole('ADMIN')")
    @Transactional
    public void delete(String username) {
        var account = existing(username);
        if (isCurrentUser(username)) {
            throw new AccessInputException("", "You cannot delete your own account.");
        }
        repository.delete(account);
        changes.requireAdminsRemain("");
        changes.endSessionsAfterCommit(account.username());
        changes.record("USER_DELETED", account.username(), null);
    }

    /**
     * Sets a temporary password the user must replace at their next sign-in, and signs them out everywhere.
     * Only for local accounts: single sign-on accounts have their password elsewhere.
     */
    @PreAuthorize("hasRole('ADMIN')")
    @Transactional
    public void resetPassword(String username, String temporaryPassword) {
        var account = existing(username);
        if (account.authSource() != AuthSource.LOCAL) {
            throw new AccessInputException(
                    "password",
                    account.username() + " signs in through " + account.authSource()
                            + ": their password is managed there, not here.");
        }
        if (isCurrentUser(username)) {
            throw new AccessInputException("password", "Change your own password on the Change password page.");
        }
        String password = AccessInput.password("password", temporaryPassword);
        account.setPassword(passwordEncoder.encode(password), true);
        changes.endSessionsAfterCommit(account.username());
        changes.record("PASSWORD_RESET", account.username(), "temporary password set, change required");
    }

    private UserAccount existing(String username) {
        return repository
                .findByUsername(username)
                .orElseThrow(() -> new AccessInputException("username", "There is no user named " + username + "."));
    }

    private boolean isCurrentUser(String username) {
        return Objects.equals(username, changes.currentUser());
    }

    private static String describe(UserAccount account) {
        var quotas = account.quotas();
        return "display name " + account.displayName() + ", e-mail " + Objects.toString(account.email(), "none")
                + ", roles " + names(account.roles()) + ", quotas vms " + limit(quotas.vms()) + " vcpus "
                + limit(quotas.vcpus()) + " memory MiB " + limit(quotas.memoryMib());
    }

    static String names(Set<Role> roles) {
        return roles.stream().sorted().map(Role::name).collect(Collectors.joining(","));
    }

    private static String limit(Number value) {
        return value == null ? "unlimited" : value.toString();
    }
}
