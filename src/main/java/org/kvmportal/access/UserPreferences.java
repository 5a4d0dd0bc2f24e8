package org.kvmportal.access;

import org.kvmportal.base.CurrentUser;
import org.kvmportal.base.ui.SignedInPreferences;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The signed-in user's own settings. */
@Service
@PreAuthorize("isAuthenticated()")
public class UserPreferences implements SignedInPreferences {

    private final CurrentUser caller;

    private final UserAccountRepository repository;

    UserPreferences(UserAccountRepository repository, CurrentUser caller) {
        this.caller = caller;
        this.repository = repository;
    }

    @Transactional(readOnly = true)
    @Override
    public boolean prefersDarkTheme() {
        return repository
                .findByUsername(caller.username())
                .map(UserAccount::darkTheme)
                .orElse(false);
    }

    @Transactional
    @Override
    public void setDarkTheme(boolean dark) {
        repository.findByUsername(caller.username()).ifPresent(account -> account.setDarkTheme(dark));
    }

    /** The name to greet the user with. */
    @Transactional(readOnly = true)
    @Override
    public String displayName() {
        String username = caller.username();
        return repository.findByUsername(username).map(UserAccount::displayName).orElse(username);
    }
}
