package org.kvmportal.audit;

import java.time.Clock;
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
    private final Clock clock = Clock.systemUTC();

    SignInAuditor(AuditLog log) {
        this.log = log;
    }

    @EventListener
    void onSuccess(AuthenticationSuccessEvent event) {
        // Signed in, but not yet in the security context: the roles come from the event.
        record(event.getAuthentication(), AuditLog.roles(event.getAuthentication()), "SUCCESS", null);
    }

    @EventListener
    void onFailure(AbstractAuthenticationFailureEvent event) {
        record(event.getAuthentication(), null, "FAILURE", event.getException().getMessage());
    }

    private void record(Authentication authentication, String role, String result, String detail) {
        String client =
                authentication.getDetails() instanceof WebAuthenticationDetails web ? web.getRemoteAddress() : null;
        log.record(new AuditEntry(
                clock.instant(), authentication.getName(), role, client, "SIGN_IN", null, null, null, result, detail));
    }
}
