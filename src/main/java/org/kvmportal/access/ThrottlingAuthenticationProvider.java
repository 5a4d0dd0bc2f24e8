package org.kvmportal.access;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Password sign-in with throttling: checks the throttle before the password is even looked at. The local
 * accounts are asked first, then the {@link PasswordDirectory} if one is configured (LDAP): both count
 * against the same throttle.
 */
@Component
class ThrottlingAuthenticationProvider implements AuthenticationProvider {

    private static final Logger log = LoggerFactory.getLogger(ThrottlingAuthenticationProvider.class);

    private final DaoAuthenticationProvider passwords;
    private final LoginThrottle throttle;
    private final ObjectProvider<PasswordDirectory> directory;

    ThrottlingAuthenticationProvider(
            UserAccountRepository users,
            PasswordEncoder passwordEncoder,
            LoginThrottle throttle,
            ObjectProvider<PasswordDirectory> directory) {
        this.passwords = new DaoAuthenticationProvider(new DatabaseUserDetailsService(users));
        this.passwords.setPasswordEncoder(passwordEncoder);
        this.throttle = throttle;
        this.directory = directory;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String username = authentication.getName();
        if (throttle.isBlocked(username)) {
            log.warn("Sign-in refused for user name '{}': too many recent failures", username);
            throw new LoginThrottledException();
        }
        try {
            var result = checkPassword(authentication);
            throttle.recordSuccess(username);
            return result;
        } catch (BadCredentialsException e) {
            int count = throttle.recordFailure(username);
            if (count >= LoginThrottle.MAX_FAILURES) {
                log.warn("User name '{}' locked for {} after {} failed sign-ins", username, LoginThrottle.LOCK, count);
            }
            throw e;
        }
    }

    private Authentication checkPassword(Authentication authentication) {
        try {
            return passwords.authenticate(authentication);
        } catch (BadCredentialsException notLocal) {
            var directory = this.directory.getIfAvailable();
            if (directory == null) {
                throw notLocal;
            }
            return directory.authenticate((UsernamePasswordAuthenticationToken) authentication);
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
