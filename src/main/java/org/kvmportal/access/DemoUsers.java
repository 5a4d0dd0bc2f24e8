package org.kvmportal.access;

import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/** The demo profile's users, one per role plus two end users; passwords follow {@code demo-<name>-pass}. */
@Component
@Profile("demo")
class DemoUsers implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoUsers.class);

    private static final Map<String, Role> USERS = Map.of(
            "admin", Role.ADMIN,
            "helpdesk", Role.HELPDESK,
            "educator", Role.EDUCATOR,
            "alice", Role.USER,
            "bob", Role.USER);

    private final UserAccounts accounts;

    DemoUsers(UserAccounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public void run(ApplicationArguments args) {
        USERS.forEach((username, role) -> {
            String displayName = Character.toUpperCase(username.charAt(0)) + username.substring(1);
            if (accounts.createIfAbsent(username, displayName, "demo-" + username + "-pass", Set.of(role))) {
                log.info("Created demo user {} ({})", username, role);
            }
        });
    }
}
