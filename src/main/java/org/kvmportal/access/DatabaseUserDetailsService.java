package org.kvmportal.access;

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

    @Override
    public UserDetails loadUserByUsername(String username) {
        var account =
                repository.findByUsername(username).orElseThrow(() -> new UsernameNotFoundException("No such user"));
        return User.withUsername(account.username())
                .password(account.passwordHash())
                .disabled(!account.enabled())
                .roles(account.roles().stream().map(Role::name).toArray(String[]::new))
                .build();
    }
}
