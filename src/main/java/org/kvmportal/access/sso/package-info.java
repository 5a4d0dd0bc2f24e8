/**
 * Optional single sign-on beside the local accounts, configured by {@code kvmportal.sso.*} properties only:
 * OpenID Connect ({@code kvmportal.sso.oidc.issuer-uri}) and LDAP bind ({@code kvmportal.sso.ldap.url}). Each
 * sign-in maps the provider's roles claim or groups to portal roles and records the account locally through
 * {@link org.kvmportal.access.ExternalAccounts}; see docs/adr/0006-single-sign-on.md.
 */
package org.kvmportal.access.sso;
