package org.kvmportal.access.sso;

/**
 * The login page's way to OpenID Connect, present only when it is configured.
 *
 * @param label e.g. "Sign in with Example ID"
 * @param path relative to the portal's root; starts the authorization code flow
 */
public record OidcSignInLink(String label, String path) {}
