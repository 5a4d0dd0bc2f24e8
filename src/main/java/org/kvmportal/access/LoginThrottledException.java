package org.kvmportal.access;

import org.springframework.security.authentication.LockedException;

/** A sign-in refused because of too many recent failures for the same user name. */
public class LoginThrottledException extends LockedException {

    public LoginThrottledException() {
        super("Too many failed sign-in attempts. Wait a few minutes and try again.");
    }
}
