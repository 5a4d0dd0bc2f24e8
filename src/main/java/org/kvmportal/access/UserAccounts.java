package org.kvmportal.access;

import java.time.Clock;
import java.util.Set;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Creates accounts for the start-up tasks (demo users, first admin); the admin UI comes with access control. */
@Component
class UserAccounts {

    /** Not a BCrypt hash: no password ever matches it. */
    static final String NO_PASSWORD = "!external";

    private final UserAccountRepository repository;
    private final PasswordEncoder passwordEncoder;
    private final Clock clock;

    UserAccounts(UserAccountRepository repository, PasswordEncoder passwordEncoder) {
        this.repository = repository;
        this.passwordEncoder = passwordEncoder;
        this.clock = Clock.systemUTC();
    }

    @Transactional
    boolean createIfAbsent(String username, String displayName, String password, Set<Role> roles) {
        AccessInput.password("password", password);
        if (repository.existsByUsername(username)) {
            return false;
        }
        repository.save(
                new UserAccount(username, displayName, passwordEncoder.encode(password), roles, clock.instant()));
        return true;
    }

    /**
     * Creates or updates the local record of an account signed in through single sign-on, so that grants,
     * audit entries and console re-checks work for it as for local ones. Its roles are replaced by what the
     * identity provider says now; it gets no usable password.
     */
    @Transactional
    void provisionExternal(String username, String displayName, String email, AuthSource source, Set<Role> roles) {
        var account = repository
                .findByUsername(username)
                .orElseGet(() ->
                        repository.save(new UserAccount(username, displayName, NO_PASSWORD, roles, clock.instant())));
        account.setDisplayName(displayName);
        account.setEmail(email);
        account.setAuthSource(source);
        account.setRoles(roles);
    }

    @Transactional(readOnly = true)
    boolean none() {
        return repository.count() == 0;
    }
}
