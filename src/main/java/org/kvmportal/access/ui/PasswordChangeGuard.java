package org.kvmportal.access.ui;

import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinServiceInitListener;
import org.kvmportal.access.PasswordChange;
import org.kvmportal.base.CurrentUser;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.stereotype.Component;

/**
 * Keeps a user who must change their password on the change-password page: every navigation of every UI,
 * typed URLs and reloads included, passes here before any view is entered.
 */
@Component
class PasswordChangeGuard implements VaadinServiceInitListener {

    private final PasswordChange passwords;

    private final CurrentUser caller;

    PasswordChangeGuard(PasswordChange passwords, CurrentUser caller) {
        this.caller = caller;
        this.passwords = passwords;
    }

    @Override
    public void serviceInit(ServiceInitEvent event) {
        event.getSource().addUIInitListener(init -> init.getUI().addBeforeEnterListener(this::check));
    }

    private void check(BeforeEnterEvent event) {
        var target = event.getNavigationTarget();
        if (target == ChangePasswordView.class || target == LoginView.class || !signedIn()) {
            return;
        }
        // One indexed lookup per navigation, so a reset takes effect without trusting session state.
        if (passwords.required()) {
            event.forwardTo(ChangePasswordView.class);
        }
    }

    private boolean signedIn() {
        var authentication = caller.authentication();
        return authentication != null
                && authentication.isAuthenticated()
                && !(authentication instanceof AnonymousAuthenticationToken);
    }
}
