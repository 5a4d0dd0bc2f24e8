package org.kvmportal.access;

import java.time.Clock;
import java.util.Set;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Creates accounts for the start-up tasks (demo users, first admin); the admin UI comes with access control. */
@Component
class UserAccounts {

    static final int MIN_PASSWORD_LENGTH = 12;
    static final int MAX_PASSWORD_LENGTH = 128;

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
        if (password.length() < MIN_PASSWORD_LENGTH || password.length() > MAX_PASSWORD_LENGTH) {
            throw new IllegalArgumentException(
                    "A password must have " + MIN_PASSWORD_LENGTH + " to " + MAX_PASSWORD_LENGTH + " characters.");
        }
        if (repository.existsByUsername(username)) {
            return false;
        }
        repository.save(
                new UserAccount(username, displayName, passwordEncoder.encode(password), roles, clock.instant()));
        return true;
    }

    @Transactional(readOnly = true)
    boolean none() {
        return repository.count() == 0;
    }
}
