package org.kvmportal.access.sso;

import java.util.Collection;
import java.util.List;
import org.kvmportal.access.AuthSource;
import org.kvmportal.access.ExternalAccounts;
import org.kvmportal.access.SignInRefusedException;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * Who an OpenID Connect sign-in is in the portal: the user name from {@code username-claim}, the roles from
 * {@code roles-claim} through the role mapping, recorded locally; the session gets those roles and its portal
 * groups' ones.
 */
final class OidcAccountMapper implements OAuth2UserService<OidcUserRequest, OidcUser> {

    private final OidcUserService provider = new OidcUserService();
    private final SsoProperties.Oidc oidc;
    private final RoleMapping mapping;
    private final ExternalAccounts accounts;

    OidcAccountMapper(SsoProperties.Oidc oidc, ExternalAccounts accounts) {
        this.oidc = oidc;
        this.mapping = new RoleMapping(oidc.roleMapping());
        this.accounts = accounts;
    }

    @Override
    public OidcUser loadUser(OidcUserRequest request) {
        OidcUser user = provider.loadUser(request);
        String username = user.getClaimAsString(oidc.usernameClaim());
        if (username == null || username.isBlank()) {
            throw new SignInRefusedException(
                    user.getSubject(),
                    "The identity provider sent no user name (claim '" + oidc.usernameClaim() + "').");
        }
        var mapped = mapping.roles(values(user.getClaims().get(oidc.rolesClaim())));
        var roles = accounts.signIn(username, user.getFullName(), user.getEmail(), AuthSource.OIDC, mapped);
        return new DefaultOidcUser(Authorities.of(roles), user.getIdToken(), user.getUserInfo(), oidc.usernameClaim());
    }

    /** A roles claim is a JSON array of strings, or one string with the values separated by spaces or commas. */
    private static Collection<String> values(Object claim) {
        if (claim instanceof Collection<?> many) {
            return many.stream().map(String::valueOf).toList();
        }
        if (claim instanceof String one) {
            return List.of(one.split("[\\s,]+"));
        }
        return List.of();
    }
}
