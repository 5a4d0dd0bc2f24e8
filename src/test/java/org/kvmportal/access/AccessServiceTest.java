package org.kvmportal.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.kvmportal.audit.AuditEntry;
import org.kvmportal.audit.AuditLog;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One application context for the user and group service tests: the demo users, a simulated host (never the
 * machine's libvirt), a database of its own. Tests commit for real, so each one works on users of its own.
 */
@SpringBootTest
@ActiveProfiles("demo")
abstract class AccessServiceTest {

    private static final AtomicInteger NEXT = new AtomicInteger();

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void isolated(DynamicPropertyRegistry registry) {
        registry.add("kvmportal.hosts[0].name", () -> "sim");
        registry.add("kvmportal.hosts[0].uri", () -> "test:///default");
        registry.add("kvmportal.data-dir", () -> dir.resolve("data").toString());
    }

    @Autowired
    UserAdministration users;

    @Autowired
    GroupAdministration groups;

    @Autowired
    AuditLog audit;

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    /** Acts as {@code username} with the given session roles from here on, as a signed-in session would. */
    static void actAs(String username, Role... roles) {
        var authorities = AuthorityUtils.createAuthorityList(
                java.util.Arrays.stream(roles).map(role -> "ROLE_" + role).toArray(String[]::new));
        SecurityContextHolder.getContext()
                .setAuthentication(UsernamePasswordAuthenticationToken.authenticated(username, "n/a", authorities));
    }

    /** A user name no other test uses. */
    static String unique(String prefix) {
        return prefix + "-" + NEXT.incrementAndGet();
    }

    /** Creates a local user as the demo admin, then goes back to acting as whoever acted before. */
    String newUser(String prefix, Role... roles) {
        var before = SecurityContextHolder.getContext().getAuthentication();
        actAs("admin", Role.ADMIN);
        String username = unique(prefix);
        users.create(new NewUser(username, "User " + username, null, Set.of(roles), password(username)));
        SecurityContextHolder.getContext().setAuthentication(before);
        return username;
    }

    static String password(String username) {
        return "first-pass-of-" + username;
    }

    static void assertRefused(ThrowingCallable change, String field, String message) {
        assertThatThrownBy(change).isInstanceOfSatisfying(AccessInputException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).contains(message);
        });
    }

    AuditEntry lastAuditEntry() {
        var before = SecurityContextHolder.getContext().getAuthentication();
        actAs("admin", Role.ADMIN);
        try {
            return audit.latest(1).getFirst();
        } finally {
            SecurityContextHolder.getContext().setAuthentication(before);
        }
    }
}
