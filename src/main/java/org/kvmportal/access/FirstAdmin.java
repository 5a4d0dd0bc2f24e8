package org.kvmportal.access;

import java.security.SecureRandom;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * A fresh production database has nobody who could sign in: create {@code admin} with a random password
 * and print it once. It is never stored in clear text anywhere else.
 */
@Component
@Profile("!demo")
class FirstAdmin implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(FirstAdmin.class);
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private final UserAccounts accounts;

    FirstAdmin(UserAccounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!accounts.none()) {
            return;
        }
        String password = randomPassword(20);
        accounts.createIfAbsent("admin", "Administrator", password, Set.of(Role.ADMIN));
        log.warn(
                "No users existed: created user 'admin' with password '{}'. Sign in and change it;"
                        + " this is the only time it is shown.",
                password);
    }

    private static String randomPassword(int length) {
        var random = new SecureRandom();
        var password = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }
}
