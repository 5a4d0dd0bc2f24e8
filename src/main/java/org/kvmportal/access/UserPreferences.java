package org.kvmportal.access;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The signed-in user's own settings. */
@Service
@PreAuthorize("isAuthenticated()")
public class UserPreferences {

    private final UserAccountRepository repository;

    UserPreferences(UserAccountRepository repository) {
        this.repository = repository;
    }

    @Transactional(readOnly = true)
    public boolean prefersDarkTheme() {
        return repository
                .findByUsername(currentUsername())
                .map(UserAccount::darkTheme)
                .orElse(false);
    }

    @Transactional
    public void setDarkTheme(boolean dark) {
        repository.findByUsername(currentUsername()).ifPresent(account -> account.setDarkTheme(dark));
    }

    /** The name to greet the user with. */
    @Transactional(readOnly = true)
    public String displayName() {
        String username = currentUsername();
        return repository.findByUsername(username).map(UserAccount::displayName).orElse(username);
    }

    private static String currentUsername() {
        return SecurityContextHolder.getContext().getAuthentication().getName();
    }
}
