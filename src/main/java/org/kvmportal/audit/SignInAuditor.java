package org.kvmportal.audit;

import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;

/** Records every sign-in, successful or not, from Spring Security's authentication events. */
@Component
class SignInAuditor {

    private final AuditLog log;

    SignInAuditor(AuditLog log) {
        this.log = log;
    }

    @EventListener
    void onSuccess(AuthenticationSuccessEvent event) {
        // Signed in, but not yet in the security context: the roles come from the event.
        var authentication = event.getAuthentication();
        record(Actor.of(authentication, client(authentication)), "SUCCESS", null);
    }

    @EventListener
    void onFailure(AbstractAuthenticationFailureEvent event) {
        var authentication = event.getAuthentication();
        record(
                Actor.anonymous(authentication.getName(), client(authentication)),
                "FAILURE",
                event.getException().getMessage());
    }

    private void record(Actor actor, String result, String detail) {
        log.record(AuditEntry.of(actor, "SIGN_IN", null, null, null, result, detail));
    }

    /** The address the sign-in came from: Spring Security's details of it, else the request being served. */
    private static String client(Authentication authentication) {
        return authentication.getDetails() instanceof WebAuthenticationDetails web
                ? web.getRemoteAddress()
                : AuditLog.currentClient();
    }
}
