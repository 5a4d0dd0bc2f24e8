package org.kvmportal.access;

import java.util.Set;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * A user's roles as the database says right now, for checks that must not trust what a long-lived session
 * remembers (an open console is re-checked while it runs): a disabled or deleted account has none.
 */
@Component
public class AccountRoles {

    private final UserAccountRepository repository;

    AccountRoles(UserAccountRepository repository) {
        this.repository = repository;
    }

    @Transactional(readOnly = true)
    public Set<Role> current(String username) {
        return repository
                .findByUsername(username)
                .filter(UserAccount::enabled)
                .map(UserAccount::roles)
                .orElse(Set.of());
    }
}
