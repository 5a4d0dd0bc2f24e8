package org.kvmportal.access;

/** Where an account proves who it is. Accounts from single sign-on have no usable local password. */
public enum AuthSource {
    LOCAL,
    OIDC,
    LDAP
}
