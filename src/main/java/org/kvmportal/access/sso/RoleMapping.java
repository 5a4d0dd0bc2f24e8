package org.kvmportal.access.sso;

import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.kvmportal.access.Role;

/**
 * Turns what an identity provider says about someone (roles claim values, group names) into portal roles.
 * Values are compared ignoring case; values nobody mapped give nothing, so an unknown group never grants.
 */
final class RoleMapping {

    private final Map<String, Set<Role>> rolesByValue = new HashMap<>();

    /** @param configured per role the values that give it; null or empty: each role's own name */
    RoleMapping(Map<Role, List<String>> configured) {
        if (configured == null || configured.isEmpty()) {
            for (Role role : Role.values()) {
                add(role.name(), role);
            }
            return;
        }
        configured.forEach((role, values) -> values.forEach(value -> add(value, role)));
    }

    Set<Role> roles(Collection<String> values) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String value : values) {
            if (value != null) {
                roles.addAll(rolesByValue.getOrDefault(key(value), Set.of()));
            }
        }
        return roles;
    }

    private void add(String value, Role role) {
        if (!value.isBlank()) {
            rolesByValue
                    .computeIfAbsent(key(value), k -> EnumSet.noneOf(Role.class))
                    .add(role);
        }
    }

    private static String key(String value) {
        return value.strip().toLowerCase(Locale.ROOT);
    }
}
