package org.kvmportal.access.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kvmportal.access.Role;

class RoleMappingTest {

    @Test
    void without_a_mapping_each_role_is_given_by_its_own_name_ignoring_case() {
        var mapping = new RoleMapping(Map.of());

        assertThat(mapping.roles(List.of("admin", " HelpDesk ", "staff")))
                .containsExactlyInAnyOrder(Role.ADMIN, Role.HELPDESK);
        assertThat(mapping.roles(List.of("administrators"))).isEmpty();
    }

    @Test
    void with_a_mapping_only_the_mapped_values_give_roles_and_role_names_alone_give_nothing() {
        var mapping = new RoleMapping(
                Map.of(Role.ADMIN, List.of("portal-admins"), Role.EDUCATOR, List.of("Teachers", "lab-staff")));

        assertThat(mapping.roles(List.of("PORTAL-ADMINS", "teachers")))
                .containsExactlyInAnyOrder(Role.ADMIN, Role.EDUCATOR);
        assertThat(mapping.roles(List.of("ADMIN", "USER"))).isEmpty();
    }

    @Test
    void one_value_may_give_several_roles() {
        var mapping = new RoleMapping(Map.of(Role.USER, List.of("staff"), Role.HELPDESK, List.of("staff")));

        assertThat(mapping.roles(List.of("staff"))).containsExactlyInAnyOrder(Role.USER, Role.HELPDESK);
    }
}
