package org.kvmportal.access;

import org.springframework.security.authentication.AccountStatusException;

/**
 * A sign-in whose credentials were good but that the portal refuses anyway, with a message meant for the
 * person signing in: single sign-on for a name that belongs to a local account, an account disabled here, or
 * one the identity provider gives no portal role.
 */
public class SignInRefusedException extends AccountStatusException {

    private final String username;

    public SignInRefusedException(String username, String message) {
        super(message);
        this.username = username;
    }

    /** The name the refused sign-in was for, for the audit log. */
    public String username() {
        return username;
    }
}
