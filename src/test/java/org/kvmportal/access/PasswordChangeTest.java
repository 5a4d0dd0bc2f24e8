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
    void a_temporary_password_must_be_replaced_by_a_different_valid_one() {
        String name = newUser("mia", Role.USER);
        actAs(name, Role.USER);
        assertThat(passwords.required()).isTrue();

        assertRefused(() -> passwords.change("wrong-current-pass", "brand-new-pass-1"), "currentPassword", "not your");
        assertRefused(() -> passwords.change(password(name), "short"), "newPassword", "12 to 128");
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
