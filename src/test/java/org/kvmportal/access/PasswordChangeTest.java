package org.kvmportal.access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.crypto.password.PasswordEncoder;

/** A user replacing their own password, the temporary one an admin set included. */
class PasswordChangeTest extends AccessServiceTest {

    @Autowired
    PasswordChange passwords;

    @Autowired
    UserAccountRepository repository;

    @Autowired
    PasswordEncoder encoder;

    @Test
    void a_new_password_beyond_72_bytes_is_refused_at_its_field_and_the_old_one_stays() {
        String name = newUser("nils", Role.USER);
        actAs(name, Role.USER);

        for (String tooLong : new String[] {"n".repeat(73), "ö".repeat(37), "\uD83D\uDD11".repeat(32)}) {
            assertRefused(() -> passwords.change(password(name), tooLong), "newPassword", "at most 72 bytes");
        }

        assertThat(encoder.matches(
                        password(name),
                        repository.findByUsername(name).orElseThrow().passwordHash()))
                .isTrue();
        assertThat(passwords.required()).isTrue();
    }

    @Test
    void a_temporary_password_must_be_replaced_by_a_different_valid_one() {
        String name = newUser("mia", Role.USER);
        actAs(name, Role.USER);
        assertThat(passwords.required()).isTrue();

        assertRefused(() -> passwords.change("wrong-current-pass", "brand-new-pass-1"), "currentPassword", "not your");
        assertRefused(() -> passwords.change(password(name), "short"), "newPassword", "at least 12");
        assertRefused(() -> passwords.change(password(name), password(name)), "newPassword", "other than");
        assertThat(passwords.required()).as("nothing changed yet").isTrue();

        passwords.change(password(name), "brand-new-pass-1");

        assertThat(passwords.required()).isFalse();
        assertThat(encoder.matches(
                        "brand-new-pass-1",
                        repository.findByUsername(name).orElseThrow().passwordHash()))
                .isTrue();
        assertThat(lastAuditEntry().action()).isEqualTo("PASSWORD_CHANGED");
    }
}
