package org.kvmportal.access.sso;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.core.oidc.IdTokenClaimNames;

/**
 * The one OpenID provider, as Spring's standard client registration {@value #REGISTRATION_ID}. Its discovery
 * document is read at the first single sign-on and kept, so the portal starts (and local sign-in works) while
 * the provider is unreachable; a failed read is tried again at the next sign-in.
 */
final class OidcClientRegistrations implements ClientRegistrationRepository {

    static final String REGISTRATION_ID = "oidc";
    static final String AUTHORIZATION_PATH = "oauth2/authorization/" + REGISTRATION_ID;

    private static final Logger log = LoggerFactory.getLogger(OidcClientRegistrations.class);

    private final SsoProperties.Oidc oidc;
    private volatile ClientRegistration registration;

    OidcClientRegistrations(SsoProperties.Oidc oidc) {
        if (isBlank(oidc.clientId()) || isBlank(oidc.clientSecret())) {
            throw new IllegalStateException(
                    "kvmportal.sso.oidc.issuer-uri is set: kvmportal.sso.oidc.client-id and client-secret are needed too");
        }
        this.oidc = oidc;
    }

    @Override
    public ClientRegistration findByRegistrationId(String registrationId) {
        if (!REGISTRATION_ID.equals(registrationId)) {
            return null;
        }
        var known = registration;
        if (known != null) {
            return known;
        }
        synchronized (this) {
            if (registration == null) {
                registration = discover();
            }
            return registration;
        }
    }

    private ClientRegistration discover() {
        try {
            return ClientRegistrations.fromIssuerLocation(oidc.issuerUri().toString())
                    .registrationId(REGISTRATION_ID)
                    .clientId(oidc.clientId())
                    .clientSecret(oidc.clientSecret())
                    .scope(oidc.scopes())
                    // "sub" is always there; the portal user name comes from usernameClaim (OidcAccountMapper).
                    .userNameAttributeName(IdTokenClaimNames.SUB)
                    .build();
        } catch (RuntimeException e) {
            log.warn("Cannot read the OpenID provider's configuration from {}: {}", oidc.issuerUri(), e.toString());
            return null;
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
