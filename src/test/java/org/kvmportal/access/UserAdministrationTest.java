package org.kvmportal.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.crypto.password.PasswordEncoder;

/** Creating, editing, disabling, deleting users and resetting passwords, as the admin's service does it. */
class UserAdministrationTest extends AccessServiceTest {

    @Autowired
    UserAccountRepository repository;

    @Autowired
    UserAccounts accounts;

    @Autowired
    PasswordEncoder encoder;

    @Autowired
    UserDirectory directory;

    @BeforeEach
    void asAdmin() {
        actAs("admin", Role.ADMIN);
    }

    @Test
    void a_new_user_gets_a_temporary_password_and_an_audit_entry_without_it() {
        String name = unique("carol");

        users.create(new NewUser(name, " Carol Ö'Brien ", "carol@example.org", Set.of(Role.USER), password(name)));

        var carol = users.find(name).orElseThrow();
        assertThat(carol.displayName()).isEqualTo("Carol Ö'Brien");
        assertThat(carol.email()).isEqualTo("carol@example.org");
        assertThat(carol.roles()).containsExactly(Role.USER);
        assertThat(carol.mustChangePassword()).isTrue();
        assertThat(carol.source()).isEqualTo(AuthSource.LOCAL);
        assertThat(encoder.matches(
                        password(name),
                        repository.findByUsername(name).orElseThrow().passwordHash()))
                .isTrue();
        var entry = lastAuditEntry();
        assertThat(entry.action()).isEqualTo("USER_CREATED");
        assertThat(entry.target()).isEqualTo(name);
        assertThat(entry.username()).isEqualTo("admin");
        assertThat(String.valueOf(entry.detail())).doesNotContain(password(name));
    }

    static Stream<Arguments> bad_new_users() {
        String ok = "first-pass-okay";
        return Stream.of(
                Arguments.of(new NewUser("", "X", null, Set.of(Role.USER), ok), "username", "Enter a user name"),
                Arguments.of(new NewUser("Carol", "X", null, Set.of(Role.USER), ok), "username", "only a-z"),
                Arguments.of(new NewUser("a b", "X", null, Set.of(Role.USER), ok), "username", "only a-z"),
                Arguments.of(new NewUser("a/b", "X", null, Set.of(Role.USER), ok), "username", "only a-z"),
                Arguments.of(new NewUser("x".repeat(65), "X", null, Set.of(Role.USER), ok), "username", "at most 64"),
                Arguments.of(new NewUser("alice", "X", null, Set.of(Role.USER), ok), "username", "already"),
                Arguments.of(new NewUser("nx1", " ", null, Set.of(Role.USER), ok), "displayName", "Enter a display"),
                Arguments.of(
                        new NewUser("nx2", "y".repeat(129), null, Set.of(Role.USER), ok), "displayName", "at most 128"),
                Arguments.of(new NewUser("nx3", "Bad\u0007", null, Set.of(Role.USER), ok), "displayName", "control"),
                Arguments.of(new NewUser("nx4", "X", "not-an-email", Set.of(Role.USER), ok), "email", "e-mail"),
                Arguments.of(new NewUser("nx5", "X", "a@b", Set.of(Role.USER), ok), "email", "e-mail"),
                Arguments.of(new NewUser("nx6", "X", null, Set.of(), ok), "roles", "at least one role"),
                Arguments.of(
                        new NewUser("nx7", "X", null, Set.of(Role.USER), "short-pass1"), "password", "at least 12"),
                Arguments.of(
                        new NewUser("nx8", "X", null, Set.of(Role.USER), "p".repeat(73)),
                        "password",
                        "at most 72 bytes"),
                Arguments.of(
                        new NewUser("nx10", "X", null, Set.of(Role.USER), "ü".repeat(37)),
                        "password",
                        "at most 72 bytes"),
                Arguments.of(new NewUser("nx9", "X", null, Set.of(Role.USER), null), "password", "at least 12"));
    }

    @ParameterizedTest(name = "{1}: {2}")
    @MethodSource("bad_new_users")
    void a_bad_value_in_any_field_is_refused_by_field_and_nothing_is_stored(
            NewUser user, String field, String message) {
        long before = repository.count();

        assertRefused(() -> users.create(user), field, message);

        assertThat(repository.count()).isEqualTo(before);
    }

    /** BCrypt hashes only 72 bytes; these are all longer, however few characters some of them have. */
    static Stream<String> passwords_beyond_72_bytes() {
        return Stream.of(
                "p".repeat(73), // 73 bytes
                "ä".repeat(37), // 37 characters, 74 bytes
                "€".repeat(25), // 25 characters, 75 bytes
                "p".repeat(128), // the old rule's longest
                "\uD83D\uDD11".repeat(32)); // 32 keys, 64 UTF-16 units, 128 bytes
    }

    @ParameterizedTest
    @MethodSource("passwords_beyond_72_bytes")
    void a_password_beyond_72_bytes_is_refused_at_its_field_and_changes_nothing(String password) {
        String name = unique("lena");
        long before = repository.count();

        assertRefused(
                () -> users.create(new NewUser(name, "Lena", null, Set.of(Role.USER), password)),
                "password",
                "at most 72 bytes");
        assertThat(repository.count()).isEqualTo(before);

        String existing = newUser("lars", Role.USER);
        String hash = repository.findByUsername(existing).orElseThrow().passwordHash();
        assertRefused(() -> users.resetPassword(existing, password), "password", "at most 72 bytes");
        assertThat(repository.findByUsername(existing).orElseThrow().passwordHash())
                .isEqualTo(hash);
    }

    @Test
    void a_password_of_exactly_72_bytes_is_kept_whole() {
        String name = unique("mona");
        String password = "ä".repeat(35) + "ok"; // 72 bytes

        users.create(new NewUser(name, "Mona", null, Set.of(Role.USER), password));

        String hash = repository.findByUsername(name).orElseThrow().passwordHash();
        assertThat(encoder.matches(password, hash)).isTrue();
        assertThat(encoder.matches("ä".repeat(35) + "ko", hash))
                .as("the last byte counts")
                .isFalse();
    }

    @Test
    void hashes_stored_before_still_verify() {
        // BCrypt, cost 10, of "kept-from-before-pass": as the portal has always stored passwords.
        String stored = "$2a$10$8bvOJdOmbYFlgQmJmACIle.oko.sCuHebNmIHuLKy6V7bSE097/ni";

        assertThat(encoder.matches("kept-from-before-pass", stored)).isTrue();
        assertThat(encoder.matches("kept-from-before-pasS", stored)).isFalse();
    }

    @Test
    void user_names_are_unique_whatever_their_case() {
        repository.save(new UserAccount("Erin", "Erin", "x", Set.of(Role.USER), java.time.Instant.now()));

        assertRefused(
                () -> users.create(new NewUser("erin", "Erin 2", null, Set.of(Role.USER), "first-pass-okay")),
                "username",
                "already");
    }

    @Test
    void an_edit_with_a_bad_field_is_refused_by_field_and_leaves_the_user_unchanged() {
        String name = newUser("frank", Role.USER);
        var before = users.find(name).orElseThrow();
        var good = new UserChanges("Frank", "frank@example.org", Set.of(Role.USER), Quotas.NONE);

        assertRefused(() -> users.update(name, withEmail(good, "frank@")), "email", "e-mail");
        assertRefused(() -> users.update(name, new UserChanges("", null, Set.of(Role.USER), null)), "displayName", "");
        assertRefused(() -> users.update(name, new UserChanges("F", null, Set.of(), null)), "roles", "role");
        assertRefused(() -> users.update(name, withQuotas(good, new Quotas(-1, null, null))), "quotaVms", "negative");
        assertRefused(() -> users.update(name, withQuotas(good, new Quotas(1, -2, null))), "quotaVcpus", "negative");
        assertRefused(() -> users.update(name, withQuotas(good, new Quotas(1, 2, -3L))), "quotaMemoryMib", "negative");

        assertThat(users.find(name)).contains(before);
    }

    @Test
    void an_edit_sets_name_email_roles_and_quotas_and_null_quotas_mean_unlimited() {
        String name = newUser("gina", Role.USER);

        users.update(
                name,
                new UserChanges(
                        "Gina G", "gina@example.org", Set.of(Role.USER, Role.EDUCATOR), new Quotas(3, 4, 2048L)));

        var gina = users.find(name).orElseThrow();
        assertThat(gina.displayName()).isEqualTo("Gina G");
        assertThat(gina.roles()).containsExactlyInAnyOrder(Role.USER, Role.EDUCATOR);
        assertThat(gina.quotas()).isEqualTo(new Quotas(3, 4, 2048L));
        assertThat(lastAuditEntry().action()).isEqualTo("USER_UPDATED");

        users.update(name, new UserChanges("Gina G", null, Set.of(Role.USER), Quotas.NONE));
        assertThat(users.find(name).orElseThrow().quotas()).isEqualTo(Quotas.NONE);
    }

    @Test
    void an_admin_cannot_disable_delete_or_demote_themselves() {
        assertRefused(() -> users.setEnabled("admin", false), "", "your own account");
        assertRefused(() -> users.delete("admin"), "", "your own account");
        assertRefused(
                () -> users.update("admin", new UserChanges("Admin", null, Set.of(Role.USER), null)),
                "roles",
                "from yourself");

        var admin = users.find("admin").orElseThrow();
        assertThat(admin.enabled()).isTrue();
        assertThat(admin.roles()).contains(Role.ADMIN);
    }

    @Test
    void the_last_enabled_admin_is_never_disabled_deleted_or_demoted() {
        // A caller whose session still says ADMIN though no account backs it (e.g. demoted meanwhile): the
        // rule is counted from the database, so it holds even then.
        actAs("stale-admin", Role.ADMIN);

        assertRefused(() -> users.setEnabled("admin", false), "", "no enabled admin");
        assertRefused(() -> users.delete("admin"), "", "no enabled admin");
        assertRefused(
                () -> users.update("admin", new UserChanges("Admin", null, Set.of(Role.USER), null)),
                "roles",
                "no enabled admin");

        var admin = users.find("admin").orElseThrow();
        assertThat(admin.enabled()).isTrue();
        assertThat(admin.roles()).contains(Role.ADMIN);
    }

    @Test
    void another_admin_can_be_disabled_enabled_and_deleted_and_each_step_is_audited() {
        String name = newUser("ivan", Role.ADMIN);

        users.setEnabled(name, false);
        assertThat(users.find(name).orElseThrow().enabled()).isFalse();
        assertThat(lastAuditEntry().action()).isEqualTo("USER_DISABLED");
        users.setEnabled(name, true);
        assertThat(lastAuditEntry().action()).isEqualTo("USER_ENABLED");
        users.delete(name);
        assertThat(users.find(name)).isEmpty();
        assertThat(lastAuditEntry().action()).isEqualTo("USER_DELETED");
    }

    @Test
    void a_password_reset_sets_a_temporary_password_the_user_must_change() {
        String name = newUser("judy", Role.USER);

        assertRefused(() -> users.resetPassword(name, "too-short"), "password", "at least 12");
        users.resetPassword(name, "temporary-pass-1");

        var account = repository.findByUsername(name).orElseThrow();
        assertThat(encoder.matches("temporary-pass-1", account.passwordHash())).isTrue();
        assertThat(account.mustChangePassword()).isTrue();
        var entry = lastAuditEntry();
        assertThat(entry.action()).isEqualTo("PASSWORD_RESET");
        assertThat(String.valueOf(entry.detail())).doesNotContain("temporary-pass-1");
    }

    @Test
    void single_sign_on_accounts_get_no_local_password() {
        String name = unique("sso");
        accounts.provisionExternal(name, "Sam", "sam@example.org", AuthSource.OIDC, Set.of(Role.USER));
        String hash = repository.findByUsername(name).orElseThrow().passwordHash();

        assertRefused(() -> users.resetPassword(name, "temporary-pass-1"), "password", "through OIDC");

        assertThat(repository.findByUsername(name).orElseThrow().passwordHash()).isEqualTo(hash);
    }

    @Test
    void help_desk_staff_search_the_directory_but_cannot_administer() {
        actAs("helpdesk", Role.HELPDESK);

        assertThat(directory.search("ALI", 10)).singleElement().satisfies(alice -> {
            assertThat(alice.username()).isEqualTo("alice");
            assertThat(alice.roles()).containsExactly(Role.USER);
        });
        assertThat(directory.find("bob"))
                .hasValueSatisfying(bob -> assertThat(bob.displayName()).isEqualTo("Bob"));
        assertThatThrownBy(() -> users.list("", 0, 10)).isInstanceOf(AccessDeniedException.class);

        actAs("alice", Role.USER);
        assertThatThrownBy(() -> directory.search("bob", 10)).isInstanceOf(AccessDeniedException.class);
    }

    @Test
    void the_search_matches_email_and_treats_wildcards_as_text() {
        String name = newUser("kim", Role.USER);
        users.update(name, new UserChanges("Kim", "kim.k@lab.example", Set.of(Role.USER), null));

        assertThat(users.list("LAB.EXAMPLE", 0, 10))
                .extracting(ManagedUser::username)
                .containsExactly(name);
        assertThat(users.list("%", 0, 10)).isEmpty();
        assertThat(users.count("lab.example")).isEqualTo(1);
    }

    private static UserChanges withEmail(UserChanges changes, String email) {
        return new UserChanges(changes.displayName(), email, changes.roles(), changes.quotas());
    }

    private static UserChanges withQuotas(UserChanges changes, Quotas quotas) {
        return new UserChanges(changes.displayName(), changes.email(), changes.roles(), quotas);
    }
}
