package org.kvmportal.access.sso;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.kvmportal.access.Role;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code kvmportal.sso.*}: single sign-on, off unless an issuer or a directory URL is set. */
@ConfigurationProperties("kvmportal.sso")
record SsoProperties(Oidc oidc, Ldap ldap) {

    /**
     * @param issuerUri the OpenID provider; its {@code /.well-known/openid-configuration} is read at the first
     *     single sign-on, not at start-up, so an unreachable provider never keeps the portal from starting
     * @param displayName shown on the login page as "Sign in with ..."
     * @param usernameClaim the claim that becomes the portal user name
     * @param rolesClaim a list of strings (or one string) matched against {@code roleMapping}
     * @param roleMapping per portal role, the claim values that give it; empty means each role's own name,
     *     ignoring case
     */
    record Oidc(
            URI issuerUri,
            String clientId,
            String clientSecret,
            @DefaultValue("single sign-on") String displayName,
            @DefaultValue("preferred_username") String usernameClaim,
            @DefaultValue("roles") String rolesClaim,
            @DefaultValue({"openid", "profile", "email"}) List<String> scopes,
            Map<Role, List<String>> roleMapping) {}

    /**
     * @param url e.g. {@code ldap://ldap.example.org:389}
     * @param baseDn appended to every other DN here, e.g. {@code dc=example,dc=org}
     * @param managerDn a DN to search as (full DN); anonymous when empty
     * @param userDnPattern e.g. {@code uid={0},ou=people}; or else
     * @param userSearchFilter e.g. {@code (uid={0})}, under {@code userSearchBase}
     * @param groupSearchBase e.g. {@code ou=groups}
     * @param groupSearchFilter {@code {0}} is the user's full DN, {@code {1}} the user name
     * @param groupRoleAttribute the group attribute matched against {@code roleMapping}
     * @param roleMapping per portal role, the group names that give it; empty means each role's own name,
     *     ignoring case
     */
    record Ldap(
            String url,
            @DefaultValue("") String baseDn,
            String managerDn,
            String managerPassword,
            String userDnPattern,
            @DefaultValue("") String userSearchBase,
            String userSearchFilter,
            @DefaultValue("") String groupSearchBase,
            @DefaultValue("(member={0})") String groupSearchFilter,
            @DefaultValue("cn") String groupRoleAttribute,
            @DefaultValue("uid") String usernameAttribute,
            @DefaultValue("cn") String displayNameAttribute,
            @DefaultValue("mail") String emailAttribute,
            Map<Role, List<String>> roleMapping) {}
}
