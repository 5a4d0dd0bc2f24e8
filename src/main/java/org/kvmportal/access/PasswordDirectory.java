package org.kvmportal.access;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;

/**
 * Another place that checks user names and passwords (an LDAP directory), asked when the local accounts do
 * not accept the password. {@link ThrottlingAuthenticationProvider} is the only caller, so a directory sits
 * behind the same throttle as local accounts.
 */
public interface PasswordDirectory {

    /**
     * @return the signed-in user, with a {@code ROLE_<name>} authority per portal role
     * @throws org.springframework.security.authentication.BadCredentialsException for a wrong name or password
     */
    Authentication authenticate(UsernamePasswordAuthenticationToken attempt);
}
