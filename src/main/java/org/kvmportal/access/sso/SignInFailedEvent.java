package org.kvmportal.access.sso;

import org.kvmportal.access.SignInRefusedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * A failed sign-in that Spring Security has no event of its own for (its events cover only its standard
 * exceptions): single sign-on refusals and errors, throttled attempts. A refusal after an OpenID Connect
 * sign-in names the user the provider vouched for, since the request itself carries no name.
 */
public class SignInFailedEvent extends AbstractAuthenticationFailureEvent {

    public SignInFailedEvent(Authentication authentication, AuthenticationException exception) {
        super(named(authentication, exception), exception);
    }

    private static Authentication named(Authentication authentication, AuthenticationException exception) {
        if (!(exception instanceof SignInRefusedException refused)
                || refused.username() == null
                || !authentication.getName().isEmpty()) {
            return authentication;
        }
        var named = UsernamePasswordAuthenticationToken.unauthenticated(refused.username(), null);
        named.setDetails(authentication.getDetails());
        return named;
    }
}
