package org.kvmportal.access;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;

/** A further way to sign in (single sign-on), added to the security filter chain beside the login form. */
public interface SignInExtension {

    void configure(HttpSecurity http) throws Exception;
}
