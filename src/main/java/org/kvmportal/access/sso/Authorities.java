package org.kvmportal.access.sso;

import java.util.List;
import java.util.Set;
import org.kvmportal.access.Role;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** Portal roles as Spring Security sees them: {@code ROLE_<name>}, exactly one per role. */
final class Authorities {

    private Authorities() {}

    static List<GrantedAuthority> of(Set<Role> roles) {
        return roles.stream()
                .sorted()
                .<GrantedAuthority>map(role -> new SimpleGrantedAuthority("ROLE_" + role.name()))
                .toList();
    }
}
