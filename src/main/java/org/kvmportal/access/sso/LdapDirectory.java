package org.kvmportal.access.sso;

import java.util.Collection;
import java.util.List;
import org.kvmportal.access.AuthSource;
import org.kvmportal.access.ExternalAccounts;
import org.kvmportal.access.PasswordDirectory;
import org.springframework.ldap.core.DirContextAdapter;
import org.springframework.ldap.core.DirContextOperations;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.ldap.DefaultSpringSecurityContextSource;
import org.springframework.security.ldap.authentication.BindAuthenticator;
import org.springframework.security.ldap.authentication.LdapAuthenticationProvider;
import org.springframework.security.ldap.search.FilterBasedLdapUserSearch;
import org.springframework.security.ldap.userdetails.DefaultLdapAuthoritiesPopulator;
import org.springframework.security.ldap.userdetails.UserDetailsContextMapper;

/**
 * LDAP sign-in by bind: the directory checks the password, the user's groups give the portal roles through
 * the role mapping, and the account is recorded locally. Reached only through the login throttle.
 */
final class LdapDirectory implements PasswordDirectory {

    private final LdapAuthenticationProvider provider;

    LdapDirectory(SsoProperties.Ldap ldap, ExternalAccounts accounts) {
        var contextSource = new DefaultSpringSecurityContextSource(List.of(ldap.url()), ldap.baseDn());
        if (ldap.managerDn() != null && !ldap.managerDn().isBlank()) {
            contextSource.setUserDn(ldap.managerDn());
            contextSource.setPassword(ldap.managerPassword() == null ? "" : ldap.managerPassword());
        }
        contextSource.afterPropertiesSet();

        var bind = new BindAuthenticator(contextSource);
        boolean pattern = ldap.userDnPattern() != null && !ldap.userDnPattern().isBlank();
        boolean search =
                ldap.userSearchFilter() != null && !ldap.userSearchFilter().isBlank();
        if (!pattern && !search) {
            throw new IllegalStateException("kvmportal.sso.ldap.url is set: kvmportal.sso.ldap.user-dn-pattern or"
                    + " kvmportal.sso.ldap.user-search-filter is needed too");
        }
        if (pattern) {
            bind.setUserDnPatterns(new String[] {ldap.userDnPattern()});
        }
        if (search) {
            bind.setUserSearch(
                    new FilterBasedLdapUserSearch(ldap.userSearchBase(), ldap.userSearchFilter(), contextSource));
        }

        var groups = new DefaultLdapAuthoritiesPopulator(contextSource, ldap.groupSearchBase());
        groups.setGroupSearchFilter(ldap.groupSearchFilter());
        groups.setGroupRoleAttribute(ldap.groupRoleAttribute());
        groups.setRolePrefix("");
        groups.setConvertToUpperCase(false);
        groups.setSearchSubtree(true);
        groups.setIgnorePartialResultException(true);

        this.provider = new LdapAuthenticationProvider(bind, groups);
        this.provider.setUserDetailsContextMapper(new Accounts(ldap, accounts));
    }

    @Override
    public Authentication authenticate(UsernamePasswordAuthenticationToken attempt) {
        return provider.authenticate(attempt);
    }

    /** The directory entry and its groups, as a portal account with the mapped roles. */
    private static final class Accounts implements UserDetailsContextMapper {

        private final SsoProperties.Ldap ldap;
        private final RoleMapping mapping;
        private final ExternalAccounts accounts;

        Accounts(SsoProperties.Ldap ldap, ExternalAccounts accounts) {
            this.ldap = ldap;
            this.mapping = new RoleMapping(ldap.roleMapping());
            this.accounts = accounts;
        }

        @Override
        public UserDetails mapUserFromContext(
                DirContextOperations entry, String typed, Collection<? extends GrantedAuthority> groups) {
            // The directory's spelling of the name, so "Alice" and "alice" are one portal account.
            String stored = entry.getStringAttribute(ldap.usernameAttribute());
            String username = stored == null ? typed : stored;
            var mapped = mapping.roles(
                    groups.stream().map(GrantedAuthority::getAuthority).toList());
            var roles = accounts.signIn(
                    username,
                    entry.getStringAttribute(ldap.displayNameAttribute()),
                    entry.getStringAttribute(ldap.emailAttribute()),
                    AuthSource.LDAP,
                    mapped);
            return User.withUsername(username)
                    .password("")
                    .authorities(Authorities.of(roles))
                    .build();
        }

        @Override
        public void mapUserToContext(UserDetails user, DirContextAdapter context) {
            throw new UnsupportedOperationException("The portal never writes to the directory");
        }
    }
}
