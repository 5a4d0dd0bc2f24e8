package org.kvmportal.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.kvmportal.base.CurrentUser;
import org.kvmportal.hypervisor.DomainRef;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The audit log against the real schema (H2, Flyway): recording, filters, who reads what, export and retention.
 * Each test writes its entries into an hour of its own and filters on it, so the tests do not see each other's.
 */
@SpringBootTest
@Import(AuditLogTest.Visibility.class)
@ExtendWith(OutputCaptureExtension.class)
class AuditLogTest {

    static final DomainRef ALICE_VM = new DomainRef("sim", UUID.fromString("00000000-0000-0000-0000-0000000000a1"));
    static final DomainRef BOB_VM = new DomainRef("sim", UUID.fromString("00000000-0000-0000-0000-0000000000b1"));
    static final DomainRef OTHER_HOST_VM =
            new DomainRef("lab", UUID.fromString("00000000-0000-0000-0000-0000000000a1"));
    private static final AtomicInteger WINDOWS = new AtomicInteger();

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void simulatedHost(DynamicPropertyRegistry registry) {
        registry.add("kvmportal.hosts[0].name", () -> "sim");
        registry.add("kvmportal.hosts[0].uri", () -> "test:///default");
        registry.add("kvmportal.data-dir", () -> dir.resolve("data").toString());
    }

    /** Stands in for the vm feature's rule: alice sees her VM, bob his, nobody else anything. */
    @TestConfiguration
    static class Visibility {
        @Bean
        @Primary
        AuditVisibility testVisibility() {
            var vms = Map.of("alice", Set.of(ALICE_VM), "bob", Set.of(BOB_VM));
            return username -> vms.getOrDefault(username, Set.of());
        }
    }

    @Autowired
    AuditLog audit;

    @Autowired
    AuditStore store;

    @Autowired
    AuditEventRepository repository;

    @Autowired
    AuditRetention retention;

    @Autowired
    PlatformTransactionManager transactions;

    /** The start of this test's own hour, 30 days back (well inside the retention period). */
    private Instant hour;

    @BeforeEach
    void ownHour() {
        hour = Instant.now()
                .truncatedTo(ChronoUnit.HOURS)
                .minus(Duration.ofDays(30))
                .plus(Duration.ofHours(WINDOWS.incrementAndGet()));
    }

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
        RequestContextHolder.resetRequestAttributes();
    }

    @Test
    void each_filter_narrows_the_result_and_the_newest_come_first() {
        add(1, "alice", "VM_START", "sim/web-1 (a1)", ALICE_VM, "SUCCESS");
        add(2, "alice2", "VM_SHUTDOWN", "sim/web-1 (a1)", ALICE_VM, "FAILURE");
        add(3, "bob", "VM_START", "sim/db_1 (b1)", BOB_VM, "SUCCESS");
        add(4, "Malice", "SIGN_IN", null, null, "FAILURE");
        add(5, "admin", "HOST_ADDED", "lab (qemu+ssh://lab/system)", null, "SUCCESS");
        add(6, "alice", "VM_RESET", "lab/web-1 (a1)", OTHER_HOST_VM, "REFUSED");
        signInAs("admin", "ADMIN");
        var inHour = AuditQuery.ALL.between(hour, hour.plus(Duration.ofHours(1)));

        assertThat(times(inHour)).containsExactly(6, 5, 4, 3, 2, 1);
        assertThat(audit.count(inHour)).isEqualTo(6);
        assertThat(times(inHour.withUserContaining("ALIC"))).containsExactly(6, 4, 2, 1);
        assertThat(times(inHour.withUser("alice"))).containsExactly(6, 1);
        assertThat(times(inHour.withUserContaining("%"))).isEmpty();
        assertThat(times(inHour.withVmText("WEB-1"))).containsExactly(6, 2, 1);
        assertThat(times(inHour.withVmText("db_1"))).containsExactly(3);
        // LIKE's own characters are plain text: "_" is not a wildcard, so web_1 is not web-1.
        assertThat(times(inHour.withVmText("web_1"))).isEmpty();
        assertThat(times(inHour.withVm(ALICE_VM))).containsExactly(2, 1);
        assertThat(times(inHour.withActions("VM_START"))).containsExactly(3, 1);
        assertThat(times(inHour.withActions("VM_START", "SIGN_IN"))).containsExactly(4, 3, 1);
        assertThat(times(inHour.withResult("FAILURE"))).containsExactly(4, 2);
        assertThat(times(AuditQuery.ALL.between(at(2), at(5)))).containsExactly(4, 3, 2);
        assertThat(times(inHour.withUser("alice").withResult("REFUSED"))).containsExactly(6);
        assertThat(audit.search(inHour, 1, 2))
                .extracting(entry -> entry.time().getEpochSecond() - hour.getEpochSecond())
                .containsExactly(5L * 60, 4L * 60);
    }

    @Test
    void users_who_are_not_admins_read_only_the_entries_about_the_vms_they_can_see() {
        add(1, "alice", "VM_START", "sim/web-1", ALICE_VM, "SUCCESS");
        add(2, "helpdesk", "VM_RESET", "sim/web-1", ALICE_VM, "SUCCESS");
        add(3, "bob", "VM_START", "sim/db-1", BOB_VM, "SUCCESS");
        add(4, "alice", "VM_START", "lab/web-1", OTHER_HOST_VM, "REFUSED");
        add(5, "alice", "SIGN_IN", null, null, "SUCCESS");
        var inHour = AuditQuery.ALL.between(hour, hour.plus(Duration.ofHours(1)));

        signInAs("alice", "USER");
        assertThat(times(inHour)).containsExactly(2, 1);
        assertThat(audit.count(inHour)).isEqualTo(2);
        assertThat(times(inHour.withVm(BOB_VM))).isEmpty();
        assertThat(times(inHour.withUser("bob"))).isEmpty();

        signInAs("bob", "USER");
        assertThat(times(inHour)).containsExactly(3);

        signInAs("educator", "EDUCATOR");
        assertThat(times(inHour)).isEmpty();
        assertThat(audit.count(inHour)).isZero();

        signInAs("admin", "ADMIN");
        assertThat(times(inHour)).containsExactly(5, 4, 3, 2, 1);
    }

    @Test
    void without_a_visibility_rule_only_admins_read_entries() {
        add(1, "alice", "VM_START", "sim/web-1", ALICE_VM, "SUCCESS");
        var inHour = AuditQuery.ALL.between(hour, hour.plus(Duration.ofHours(1)));
        var noRule = new AuditLog(
                repository,
                store,
                new StaticListableBeanFactory().getBeanProvider(AuditVisibility.class),
                transactions,
                new CurrentUser(SecurityContextHolder.getContextHolderStrategy()));

        signInAs("alice", "USER");
        assertThat(noRule.search(inHour, 0, 10)).isEmpty();
        assertThat(noRule.count(inHour)).isZero();
        var csv = new StringWriter();
        assertThat(noRule.exportCsv(inHour, csv).rows()).isZero();
        assertThat(csv.toString().lines()).hasSize(1);

        signInAs("admin", "ADMIN");
        assertThat(noRule.search(inHour, 0, 10)).hasSize(1);
    }

    @Test
    void reading_needs_a_signed_in_user() {
        assertThatThrownBy(() -> audit.search(AuditQuery.ALL, 0, 10))
                .isInstanceOf(org.springframework.security.core.AuthenticationException.class);
        signInAs("alice", "USER");
        assertThatThrownBy(() -> audit.latest(10)).isInstanceOf(AccessDeniedException.class);
    }

    @Test
    void the_actor_is_taken_on_the_request_thread_and_kept_by_entries_written_on_any_other() throws Exception {
        signInAs("carol", "USER", "EDUCATOR");
        var request = new MockHttpServletRequest();
        request.setRemoteAddr("203.0.113.9");
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));

        var actor = audit.actor();
        RequestContextHolder.resetRequestAttributes();
        assertThat(actor).isEqualTo(new Actor("carol", "EDUCATOR,USER", "203.0.113.9"));

        // A pool thread, as libvirt's: no request, no security context, and yet who, role and address.
        var writer = Thread.ofPlatform()
                .start(() -> audit.record(AuditEntry.of(actor, "VM_START", "x", null, null, "SUCCESS", null)
                        .at(at(1))));
        writer.join();
        audit.record(AuditEntry.of(Actor.portal(), "AUDIT_PURGED", "audit log", null, null, "SUCCESS", null)
                .at(at(2)));

        var entries = store.find(AuditQuery.ALL.between(hour, hour.plus(Duration.ofHours(1))), null, 0, 10);
        assertThat(entries)
                .extracting(AuditEntry::username, AuditEntry::role, AuditEntry::client)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Actor.PORTAL, Actor.SYSTEM, Actor.NO_CLIENT),
                        org.assertj.core.groups.Tuple.tuple("carol", "EDUCATOR,USER", "203.0.113.9"));
    }

    @Test
    void without_a_request_the_actor_comes_from_where_the_user_signed_in() {
        RequestContextHolder.resetRequestAttributes(); // the test context binds a mock request to this thread
        var user = new TestingAuthenticationToken("carol", "n/a", "ROLE_USER");
        user.setDetails(new WebAuthenticationDetails("198.51.100.7", "session-id"));
        SecurityContextHolder.getContext().setAuthentication(user);

        assertThat(audit.actor()).isEqualTo(new Actor("carol", "USER", "198.51.100.7"));
        SecurityContextHolder.clearContext();
        assertThat(audit.actor().role()).isEqualTo(Actor.ANONYMOUS);
    }

    @Test
    void an_entry_outlives_a_caller_transaction_that_rolls_back_and_a_failed_write_is_logged_not_thrown(
            CapturedOutput output) {
        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            audit.record(new AuditEntry(at(1), "erin", null, null, "VM_START", "x", null, null, "REFUSED", null));
            status.setRollbackOnly();
        });
        // An action is required by the schema: this write fails.
        audit.record(new AuditEntry(at(2), "erin", null, null, null, "x", null, null, "SUCCESS", "lost"));

        assertThat(store.find(AuditQuery.ALL.between(hour, hour.plus(Duration.ofHours(1))), null, 0, 10))
                .extracting(AuditEntry::result)
                .containsExactly("REFUSED");
        assertThat(output).contains("AUDIT ENTRY NOT STORED").contains("detail=lost");
    }

    @Test
    void the_export_holds_every_matching_entry_the_caller_may_see_and_is_itself_audited() {
        for (int minute = 1; minute <= 30; minute++) {
            add(minute, "alice", "VM_START", "=web-1", minute % 3 == 0 ? BOB_VM : ALICE_VM, "SUCCESS");
        }
        var inHour = AuditQuery.ALL.between(hour, hour.plus(Duration.ofHours(1)));

        signInAs("alice", "USER");
        var csv = new StringWriter();
        assertThat(audit.exportCsv(inHour, csv)).isEqualTo(new AuditLog.CsvExport(20, false));
        var lines = csv.toString().split("\r\n");
        assertThat(lines).hasSize(21);
        assertThat(lines[0]).startsWith("time,user,role,client,action,target,");
        assertThat(Arrays.stream(lines).skip(1))
                .allSatisfy(line -> assertThat(line).contains(",VM_START,'=web-1,sim," + ALICE_VM.uuid() + ","));
        assertThat(lines[1]).startsWith(hour.plus(Duration.ofMinutes(29)).toString());

        signInAs("admin", "ADMIN");
        var all = new StringWriter();
        assertThat(audit.exportCsv(inHour, all).rows()).isEqualTo(30);
        assertThat(audit.search(AuditQuery.ALL.withUser("alice").withActions("AUDIT_EXPORTED"), 0, 10))
                .anySatisfy(entry ->
                        assertThat(entry.detail()).startsWith("20 rows;").contains("from=" + hour));
    }

    @Test
    void retention_deletes_only_entries_older_than_the_period_and_records_how_many() {
        Instant now = Instant.now();
        audit.record(entry(now.minus(Duration.ofDays(401)), "old-frank"));
        audit.record(entry(now.minus(Duration.ofDays(400)).minusSeconds(1), "old-frank"));
        audit.record(entry(now.minus(Duration.ofDays(399)), "kept-frank"));
        audit.record(entry(now.minus(Duration.ofDays(1)), "kept-frank"));

        retention.purge(now);

        assertThat(store.count(AuditQuery.ALL.withUser("old-frank"), null)).isZero();
        assertThat(store.count(AuditQuery.ALL.withUser("kept-frank"), null)).isEqualTo(2);
        assertThat(store.find(AuditQuery.ALL.withActions("AUDIT_PURGED"), null, 0, 10))
                .anySatisfy(purged -> {
                    assertThat(purged.result()).isEqualTo("SUCCESS");
                    assertThat(purged.detail()).startsWith("2 entries before ");
                });
    }

    @Test
    void nothing_outside_retention_can_update_or_delete_entries() {
        assertThat(Arrays.stream(AuditEventRepository.class.getMethods()).map(Method::getName))
                .containsExactly("save");
        assertThat(Arrays.stream(AuditLog.class.getDeclaredMethods())
                        .filter(method -> Modifier.isPublic(method.getModifiers()))
                        .map(Method::getName))
                .containsExactlyInAnyOrder("record", "actor", "search", "count", "latest", "actions", "exportCsv");
    }

    private AuditEntry entry(Instant time, String user) {
        return new AuditEntry(time, user, null, null, "VM_START", "sim/x", null, null, "SUCCESS", null);
    }

    private void add(int minute, String user, String action, String target, DomainRef vm, String result) {
        audit.record(new AuditEntry(at(minute), user, "USER", "127.0.0.1", action, target, vm, null, result, null));
    }

    private Instant at(int minute) {
        return hour.plus(Duration.ofMinutes(minute));
    }

    /** The minutes (into this test's hour) of the entries the query finds. */
    private List<Integer> times(AuditQuery query) {
        return audit.search(query, 0, 100).stream()
                .map(entry -> (int) Duration.between(hour, entry.time()).toMinutes())
                .toList();
    }

    private static void signInAs(String username, String... roles) {
        var authorities = Arrays.stream(roles).map(role -> "ROLE_" + role).toArray(String[]::new);
        var user = new TestingAuthenticationToken(username, "n/a", authorities);
        SecurityContextHolder.getContext().setAuthentication(user);
    }
}
