package org.kvmportal.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/** Groups: their input rules, members, and the roles they give, at sign-in and in live checks. */
class GroupAdministrationTest extends AccessServiceTest {

    @Autowired
    ThrottlingAuthenticationProvider signIn;

    @Autowired
    Accounts accounts;

    @BeforeEach
    void asAdmin() {
        actAs("admin", Role.ADMIN);
    }

    @Test
    void a_groups_roles_are_granted_to_its_members_at_sign_in() {
        String name = newUser("lena", Role.USER);
        long desk = groups.create(unique("Desk"), "Second-level support");
        groups.update(
                desk, new GroupChanges(groups.find(desk).orElseThrow().name(), null, Set.of(Role.HELPDESK), null));

        assertThat(authoritiesAtSignIn(name)).containsExactly("ROLE_USER");
        groups.addMember(desk, name);

        assertThat(authoritiesAtSignIn(name)).containsExactlyInAnyOrder("ROLE_USER", "ROLE_HELPDESK");
        assertThat(accounts.currentRoles(name)).containsExactlyInAnyOrder(Role.USER, Role.HELPDESK);
        assertThat(users.find(name).orElseThrow().summary().groups())
                .containsExactly(groups.find(desk).orElseThrow().name());
        assertThat(lastAuditEntry().action()).isEqualTo("GROUP_MEMBER_ADDED");

        groups.removeMember(desk, name);
        assertThat(authoritiesAtSignIn(name)).containsExactly("ROLE_USER");
        assertThat(lastAuditEntry().action()).isEqualTo("GROUP_MEMBER_REMOVED");
    }

    @Test
    void bad_group_input_is_refused_by_field_and_changes_nothing() {
        String taken = unique("Lab");
        long lab = groups.create(taken, null);
        var before = groups.find(lab).orElseThrow();

        assertRefused(() -> groups.create(" ", null), "name", "Enter a group name");
        assertRefused(() -> groups.create("a<b>", null), "name", "only letters");
        assertRefused(() -> groups.create("g".repeat(65), null), "name", "at most 64");
        assertRefused(() -> groups.create(taken.toUpperCase(), null), "name", "already");
        assertRefused(() -> groups.create(unique("ok"), "d".repeat(257)), "description", "at most 256");
        assertRefused(
                () -> groups.update(lab, new GroupChanges(taken, null, Set.of(), new Quotas(null, -1, null))),
                "quotaVcpus",
                "negative");
        assertRefused(() -> groups.addMember(lab, "nobody-here"), "members", "no user named");

        assertThat(groups.find(lab)).contains(before);
        assertThat(groups.list()).extracting(ManagedGroup::name).doesNotContain(" ", "a<b>");
    }

    @Test
    void a_group_is_renamed_described_given_quotas_and_deleted() {
        long lab = groups.create(unique("Lab"), null);
        String renamed = unique("Physics lab");

        groups.update(lab, new GroupChanges(renamed, "Room 2.14", Set.of(Role.USER), new Quotas(10, 20, 8192L)));

        var group = groups.find(lab).orElseThrow();
        assertThat(group.name()).isEqualTo(renamed);
        assertThat(group.description()).isEqualTo("Room 2.14");
        assertThat(group.quotas()).isEqualTo(new Quotas(10, 20, 8192L));
        assertThat(lastAuditEntry().action()).isEqualTo("GROUP_UPDATED");
        groups.delete(lab);
        assertThat(groups.find(lab)).isEmpty();
        assertThat(lastAuditEntry().action()).isEqualTo("GROUP_DELETED");
    }

    @Test
    void an_admin_only_through_a_group_cannot_leave_weaken_or_delete_it() {
        String name = newUser("hal", Role.USER);
        long ops = groups.create(unique("Ops"), null);
        String opsName = groups.find(ops).orElseThrow().name();
        groups.update(ops, new GroupChanges(opsName, null, Set.of(Role.ADMIN), null));
        groups.addMember(ops, name);
        try {
            actAs(name, Role.ADMIN, Role.USER);

            assertRefused(() -> groups.removeMember(ops, name), "members", "take the ADMIN role from you");
            assertRefused(
                    () -> groups.update(ops, new GroupChanges(opsName, null, Set.of(Role.USER), null)),
                    "roles",
                    "take the ADMIN role from you");
            assertRefused(() -> groups.delete(ops), "", "take the ADMIN role from you");

            assertThat(accounts.currentRoles(name)).contains(Role.ADMIN);
            assertThat(groups.find(ops).orElseThrow().members()).containsExactly(name);
        } finally {
            // Other tests count the enabled admins: leave only the demo admin.
            actAs("admin", Role.ADMIN);
            groups.delete(ops);
        }
    }

    /** The role authorities (Spring Security 7 adds factor authorities such as FACTOR_PASSWORD too). */
    private Set<String> authoritiesAtSignIn(String username) {
        var result =
                signIn.authenticate(UsernamePasswordAuthenticationToken.unauthenticated(username, password(username)));
        return Set.copyOf(result.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .filter(authority -> authority.startsWith("ROLE_"))
                .toList());
    }
}
