package org.kvmportal.console.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kvmportal.console.ConsoleKind;
import org.kvmportal.console.ConsoleService;
import org.kvmportal.console.ConsoleSessions;
import org.kvmportal.console.HandshakeRefusal;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.Hypervisor;
import org.kvmportal.hypervisor.VncEndpoint;
import org.kvmportal.testing.HttpBrowser;
import org.kvmportal.testing.PortalOverHttp;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Refused console handshakes over real WebSockets: each kind leaves one {@code CONSOLE_REFUSED} row naming who,
 * which VM (when the ticket names one), why (a {@link HandshakeRefusal}) and the client address, and a flood
 * from one address leaves a bounded number. Each test comes from its own address, as a reverse proxy reports it
 * ({@code X-Forwarded-For} with {@code server.forward-headers-strategy=framework}), so that the per-address limit
 * of one test does not reach into another. The consoles that do open are audited with role and address too.
 */
@SpringBootTest(
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "kvmportal.hosts[0].name=sim",
            "kvmportal.hosts[0].uri=test:///default",
            "kvmportal.console.ticket-lifetime=2s",
            "kvmportal.console.tickets-per-minute=1000",
            "server.forward-headers-strategy=framework"
        })
class ConsoleRefusalSecurityIT extends PortalOverHttp {

    private static final FakeVncServer VNC = new FakeVncServer();
    private static final String SCREEN = "/console/ws/screen";
    private static final String SERIAL = "/console/ws/serial";

    @TestConfiguration
    static class PointAtFakeServer {
        @Bean
        @Primary
        DisplayLocator fakeDisplay(Hypervisor hypervisor) {
            return new DisplayLocator(hypervisor) {
                @Override
                VncEndpoint locate(DomainRef vm) {
                    return new VncEndpoint.Tcp("127.0.0.1", VNC.port());
                }
            };
        }
    }

    @Autowired
    ConsoleService consoles;

    @Autowired
    ConsoleSessions sessions;

    @Autowired
    Hypervisor hypervisor;

    @Autowired
    JdbcClient jdbc;

    private DomainRef vm;
    private final List<ConsoleClient> opened = new ArrayList<>();

    @BeforeEach
    void signedInAdmin() throws Exception {
        browser.signIn("admin", "demo-admin-pass");
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        hypervisor.domains().stream().anyMatch(d -> d.name().equals("test")));
        vm = hypervisor.domains().stream()
                .filter(d -> d.name().equals("test"))
                .map(DomainSummary::ref)
                .findFirst()
                .orElseThrow();
        VNC.behave(FakeVncServer::greetAndListen);
    }

    @AfterEach
    void closeAll() {
        opened.forEach(client -> client.socket.abort());
        setEnabled("admin", true);
        SecurityContextHolder.clearContext();
        await().atMost(Duration.ofSeconds(5)).until(() -> sessions.countOf("admin") == 0);
    }

    @AfterAll
    static void stopServer() throws IOException {
        VNC.close();
    }

    @Test
    void each_refused_handshake_is_audited_once_with_who_which_vm_why_and_from_where() throws Exception {
        String from = "198.51.100.21";
        String session = browser.sessionId();
        String origin = browser.origin();

        refused(SCREEN, ticket(), session, "http://evil.example", from);
        refused(SCREEN, null, session, origin, from);
        refused(SCREEN, "A".repeat(43), session, origin, from);
        String withdrawn = ticket();
        setEnabled("admin", false);
        refused(SCREEN, withdrawn, session, origin, from);
        setEnabled("admin", true);
        String used = ticket();
        opened.add(ConsoleClient.open(port, SCREEN, used, session, origin, true, from));
        refused(SCREEN, used, session, origin, from);
        String late = ticket();
        Thread.sleep(2_500);
        refused(SCREEN, late, session, origin, from);
        var other = new HttpBrowser(port);
        other.signIn("admin", "demo-admin-pass");
        refused(SCREEN, ticket(), other.sessionId(), other.origin(), from);
        refused(SERIAL, ticket(), session, origin, from);
        String spare = ticket();
        for (int i = 0; i < 3; i++) {
            opened.add(ConsoleClient.open(port, SCREEN, ticket(), session, origin, true, from));
        }
        refused(SCREEN, spare, session, origin, from);

        var rows = rows("CONSOLE_REFUSED", from);
        assertThat(rows)
                .extracting(Row::reason)
                .containsExactly(
                        HandshakeRefusal.FOREIGN_ORIGIN,
                        HandshakeRefusal.NO_TICKET,
                        HandshakeRefusal.UNKNOWN_TICKET,
                        HandshakeRefusal.NO_ACCESS,
                        HandshakeRefusal.REPLAYED_TICKET,
                        HandshakeRefusal.EXPIRED_TICKET,
                        HandshakeRefusal.OTHER_SESSION,
                        HandshakeRefusal.WRONG_KIND,
                        HandshakeRefusal.TOO_MANY_CONSOLES);
        // Every one of them came from a session signed in as admin: who and with which role.
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.username()).isEqualTo("admin");
            assertThat(row.role()).isEqualTo("ADMIN");
            assertThat(row.result()).isEqualTo("REFUSED");
        });
        // Which VM: where the ticket named one (not without a ticket, or with one the portal never issued).
        assertThat(rows)
                .extracting(Row::vm)
                .containsExactly(null, null, null, vm.uuid(), vm.uuid(), vm.uuid(), vm.uuid(), vm.uuid(), vm.uuid());
        assertThat(rows.getFirst().detail()).contains("http://evil.example");

        // The consoles that opened are audited from the same address, with the role from the ticket's request.
        await().atMost(Duration.ofSeconds(5))
                .until(() -> rows("CONSOLE_OPENED", from).size() == 4);
        assertThat(rows("CONSOLE_OPENED", from)).allSatisfy(row -> {
            assertThat(row.username()).isEqualTo("admin");
            assertThat(row.role()).isEqualTo("ADMIN");
        });
    }

    @Test
    void a_signed_out_stranger_is_audited_as_anonymous() throws Exception {
        String from = "198.51.100.33";
        var stranger = new HttpBrowser(port);

        refused(SCREEN, "B".repeat(43), null, stranger.origin(), from);

        assertThat(rows("CONSOLE_REFUSED", from)).singleElement().satisfies(row -> {
            assertThat(row.reason()).isEqualTo(HandshakeRefusal.UNKNOWN_TICKET);
            assertThat(row.username()).isNotBlank();
            assertThat(row.role()).isEqualTo("ANONYMOUS");
            assertThat(row.vm()).isNull();
        });
    }

    @Test
    void a_flood_of_refused_handshakes_from_one_address_leaves_a_bounded_number_of_rows() throws Exception {
        String from = "198.51.100.77";
        String origin = browser.origin();
        String session = browser.sessionId();
        try (var pool = Executors.newFixedThreadPool(8)) {
            var attempts = new ArrayList<java.util.concurrent.Future<?>>();
            for (int i = 0; i < 1_000; i++) {
                String madeUp = UUID.randomUUID().toString().replace("-", "") + "0123456789a";
                attempts.add(pool.submit(() -> {
                    refused(SCREEN, madeUp, session, origin, from);
                    return null;
                }));
            }
            for (var attempt : attempts) {
                attempt.get();
            }
        }

        var rows = rows("CONSOLE_REFUSED", from);
        assertThat(rows).hasSizeBetween(1, 10);
        assertThat(rows).allSatisfy(row -> assertThat(row.reason()).isEqualTo(HandshakeRefusal.UNKNOWN_TICKET));
        assertThat(rows("CONSOLE_REFUSED", "198.51.100.78"))
                .as("another address has its own budget")
                .isEmpty();
        refused(SCREEN, "C".repeat(43), session, origin, "198.51.100.78");
        assertThat(rows("CONSOLE_REFUSED", "198.51.100.78")).hasSize(1);
    }

    private record Row(String username, String role, String result, UUID vm, String detail) {
        HandshakeRefusal reason() {
            return HandshakeRefusal.valueOf(detail.substring(0, detail.indexOf(':')));
        }
    }

    private List<Row> rows(String action, String client) {
        return jdbc.sql("select username, user_role, result, vm_uuid, detail from audit_event"
                        + " where action = :action and client_address = :client order by id")
                .param("action", action)
                .param("client", client)
                .query((rs, n) -> new Row(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getObject(4, UUID.class),
                        rs.getString(5)))
                .list();
    }

    private void refused(String path, String ticket, String session, String origin, String from) {
        assertThatThrownBy(() -> ConsoleClient.open(port, path, ticket, session, origin, true, from))
                .isInstanceOfSatisfying(
                        ConsoleClient.Refused.class,
                        refused -> assertThat(refused.status).isEqualTo(403));
    }

    private String ticket() {
        SecurityContextHolder.getContext()
                .setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                        "admin", null, AuthorityUtils.createAuthorityList("ROLE_ADMIN")));
        return consoles.openTicket(vm, ConsoleKind.SCREEN, true, browser.sessionId());
    }

    private void setEnabled(String username, boolean enabled) {
        jdbc.sql("update app_user set enabled = :enabled where username = :name")
                .param("enabled", enabled)
                .param("name", username)
                .update();
    }
}
