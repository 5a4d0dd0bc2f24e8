package org.kvmportal.access.ui;

import com.vaadin.flow.component.checkbox.CheckboxGroup;
import java.util.Set;
import org.kvmportal.access.Role;

/** Roles as check boxes, named as people say them. */
final class RoleChoice {

    private RoleChoice() {}

    static CheckboxGroup<Role> of(String label, String id) {
        var roles = new CheckboxGroup<Role>(label);
        roles.setId(id);
        roles.setItems(Role.values());
        roles.setItemLabelGenerator(RoleChoice::label);
        return roles;
    }

    static String label(Role role) {
        return switch (role) {
            case USER -> "User";
            case HELPDESK -> "Help desk";
            case EDUCATOR -> "Educator";
            case ADMIN -> "Admin";
        };
    }

    static String labels(Set<Role> roles) {
        return String.join(", ", roles.stream().sorted().map(RoleChoice::label).toList());
    }
}
