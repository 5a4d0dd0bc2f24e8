package org.kvmportal.access;

import java.util.EnumSet;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/** Not a bean: {@link ThrottlingAuthenticationProvider} is the only way in, so nothing bypasses the throttle. */
class DatabaseUserDetailsService implements UserDetailsService {

    private final UserAccountRepository repository;

    DatabaseUserDetailsService(UserAccountRepository repository) {
        this.repository = repository;
    }

    /** The session's roles are the account's own plus those of its groups, as {@link Accounts} sees them. */
    @Override
    public UserDetails loadUserByUsername(String username) {
        var account =
                repository.findByUsername(username).orElseThrow(() -> new UsernameNotFoundException("No such user"));
        var roles = EnumSet.noneOf(Role.class);
        roles.addAll(account.roles());
        repository.groupRoles(account.username()).forEach(role -> roles.add(Role.valueOf(role)));
        return User.withUsername(account.username())
                .password(account.passwordHash())
                .disabled(!account.enabled())
                .roles(roles.stream().map(Role::name).toArray(String[]::new))
                .build();
    }
}
