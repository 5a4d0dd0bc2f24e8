package org.kvmportal.console.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kvmportal.audit.AuditLog;
import org.kvmportal.console.ConsoleKind;
import org.kvmportal.console.ConsoleRefusedException;
import org.kvmportal.console.ConsoleService;
import org.kvmportal.console.ConsoleSessions;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.Hypervisor;
import org.kvmportal.hypervisor.VncEndpoint;
import org.kvmportal.testing.HttpBrowser;
import org.kvmportal.testing.PortalOverHttp;
import org.kvmportal.vm.Grantee;
import org.kvmportal.vm.VmAccessLevel;
import org.kvmportal.vm.VmAssignments;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The console relay over real WebSockets against a fake VNC server: what the handshake refuses, that bytes
 * arrive exactly, that a stalled browser stalls the server side and is cut off, pings, and every way a
 * console ends. The VM is libvirt's simulated host's running domain "test".
 */
@SpringBootTest(
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "kvmportal.hosts[0].name=sim",
            "kvmportal.hosts[0].uri=test:///default",
            "kvmportal.console.ticket-lifetime=3s",
            "kvmportal.console.tickets-per-minute=1000",
            "kvmportal.console.ping-interval=1s",
            "kvmportal.console.send-timeout=2s"
        })
class ConsoleRelayIT extends PortalOverHttp {

    private static final FakeVncServer VNC = new FakeVncServer();

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
    Hypervisor hypervisor;

    @Autowired
    AuditLog audit;

    @Autowired
    ConsoleSessions sessions;

    @Autowired
    VmAssignments assignments;

    @Autowired
    JdbcTemplate database;

    @Autowired
    ServletWebServerApplicationContext webServer;

    private DomainRef vm;
    private final List<ConsoleClient> opened = new java.util.ArrayList<>();

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
        // Let the relay notice, so that one test's consoles do not count against the next one's limit.
        await().atMost(Duration.ofSeconds(5)).until(() -> consolesOpen() == 0 && sessions.countOf("admin") == 0);
    }

    @AfterAll
    static void stopServer() throws IOException {
        VNC.close();
    }

    @Test
    void bytes_cross_the_relay_exactly_both_ways_and_the_display_is_always_shared() throws Exception {
        var fromServer = randomBytes(8 << 20, 1);
        var fromBrowser = randomBytes(2 << 20, 2);
        var sharedFlag = new AtomicReference<Byte>();
        var serverGot = new AtomicReference<byte[]>();
        VNC.behave(connection -> {
            var out = connection.getOutputStream();
            var in = connection.getInputStream();
            out.write(FakeVncServer.GREETING);
            FakeVncServer.read(in, 12 + 1); // version, security type
            sharedFlag.set(FakeVncServer.read(in, 1)[0]);
            out.write(fromServer);
            var digest = ConsoleClient.sha256();
            digest.update(FakeVncServer.read(in, fromBrowser.length));
            serverGot.set(digest.digest());
            in.transferTo(java.io.OutputStream.nullOutputStream());
        });

        var client = open(ticket(true));
        awaitServerGreeting(client);
        client.send(greeting((byte) 0));
        for (int at = 0; at < fromBrowser.length; at += 16 << 10) {
            client.send(java.util.Arrays.copyOfRange(fromBrowser, at, at + (16 << 10)));
        }

        await().atMost(Duration.ofSeconds(30))
                .until(() -> client.received.get() == FakeVncServer.GREETING.length + fromServer.length);
        var expected = ConsoleClient.sha256();
        expected.update(FakeVncServer.GREETING);
        expected.update(fromServer);
        assertThat(client.digest()).isEqualTo(expected.digest());
        await().atMost(Duration.ofSeconds(10)).until(() -> serverGot.get() != null);
        assertThat(serverGot.get()).isEqualTo(ConsoleClient.sha256().digest(fromBrowser));
        assertThat(sharedFlag.get()).as("exclusive request turned shared").isEqualTo((byte) 1);

        client.socket.sendClose(1000, "done").join();
        awaitAudited(fromServer.length + FakeVncServer.GREETING.length + " bytes to browser");
    }

    @Test
    void a_view_only_console_delivers_what_shapes_the_view_and_nothing_the_guest_would_obey() throws Exception {
        var serverGot = new ByteArrayOutputStream();
        VNC.behave(connection -> {
            connection.getOutputStream().write(FakeVncServer.GREETING);
            connection.getInputStream().transferTo(serverGot);
        });
        byte[] keyA = {4, 1, 0, 0, 0, 0, 0, 0x61};
        byte[] updateRequest = {3, 1, 0, 0, 0, 0, 4, 0, 3, 0};

        var client = open(ticket(false));
        awaitServerGreeting(client);
        client.send(greeting((byte) 1));
        client.send(keyA);
        client.send(updateRequest);
        client.socket.sendClose(1000, "done").join();

        await().atMost(Duration.ofSeconds(5)).until(() -> serverGot.size() == 14 + updateRequest.length);
        assertThat(java.util.Arrays.copyOfRange(serverGot.toByteArray(), 14, serverGot.size()))
                .isEqualTo(updateRequest);
    }

    @Test
    void a_browser_that_stops_reading_stalls_the_server_side_and_is_cut_off_after_the_send_timeout() throws Exception {
        var written = new AtomicLong();
        var serverSawClose = new java.util.concurrent.CompletableFuture<Void>();
        VNC.behave(connection -> {
            var out = connection.getOutputStream();
            byte[] chunk = new byte[64 << 10];
            try {
                while (true) {
                    out.write(chunk);
                    written.addAndGet(chunk.length);
                }
            } finally {
                serverSawClose.complete(null);
            }
        });

        open(ticket(true), false);

        // Backpressure: the server's writes stop once the socket buffers on the way are full...
        await().pollInterval(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(10))
                .until(new java.util.concurrent.Callable<>() {
                    long last = -1;

                    @Override
                    public Boolean call() {
                        long now = written.get();
                        boolean stalled = now == last && now > 0;
                        last = now;
                        return stalled;
                    }
                });
        // ...and the relay gives the browser up after the send timeout (2 s here), closing the server side.
        serverSawClose.get(10, TimeUnit.SECONDS);
        awaitAudited("did not keep up");
    }

    @Test
    void an_idle_console_is_pinged() throws Exception {
        var client = open(ticket(true));

        await().atMost(Duration.ofSeconds(5)).until(() -> client.pings.get() >= 1);
    }

    @Test
    void the_vnc_server_hanging_up_closes_the_console_with_a_reason() throws Exception {
        VNC.behave(connection -> connection.getOutputStream().write(FakeVncServer.GREETING)); // then closes

        var client = open(ticket(true));

        assertThat(client.closed.get(5, TimeUnit.SECONDS)).isEqualTo("4001 The virtual machine is not running.");
    }

    @Test
    void the_browser_hanging_up_closes_the_vnc_connection() throws Exception {
        var serverSawEnd = new java.util.concurrent.CompletableFuture<Integer>();
        VNC.behave(connection -> {
            connection.getOutputStream().write(FakeVncServer.GREETING);
            try {
                serverSawEnd.complete(connection.getInputStream().read());
            } catch (java.net.SocketException reset) {
                // A relay that hangs up before reading the greeting resets the connection: it ended all the same.
                serverSawEnd.complete(-1);
            }
        });

        var client = open(ticket(true));
        client.socket.sendClose(1000, "bye").join();

        assertThat(serverSawEnd.get(5, TimeUnit.SECONDS)).isEqualTo(-1);
    }

    @Test
    void a_ticket_works_once() throws Exception {
        String ticket = ticket(true);
        open(ticket);

        assertRefused(() -> ConsoleClient.open(port, ticket, browser.sessionId(), browser.origin(), true));
    }

    @Test
    void an_expired_ticket_is_refused() throws Exception {
        String ticket = ticket(true);
        Thread.sleep(3_500);

        assertRefused(() -> ConsoleClient.open(port, ticket, browser.sessionId(), browser.origin(), true));
    }

    @Test
    void a_ticket_from_another_session_is_refused_even_for_the_same_user() throws Exception {
        String ticket = ticket(true);
        var other = new HttpBrowser(port);
        other.signIn("admin", "demo-admin-pass");

        assertRefused(() -> ConsoleClient.open(port, ticket, other.sessionId(), other.origin(), true));
        assertRefused(() -> ConsoleClient.open(port, ticket(true), null, browser.origin(), true));
    }

    @Test
    void a_foreign_null_or_missing_origin_is_refused() throws Exception {
        for (String origin : new String[] {"http://evil.example", "null", null, "http://localhost:1"}) {
            String ticket = ticket(true);
            assertRefused(() -> ConsoleClient.open(port, ticket, browser.sessionId(), origin, true));
        }
    }

    @Test
    void a_missing_or_made_up_ticket_is_refused() throws Exception {
        assertRefused(() -> ConsoleClient.open(port, "A".repeat(43), browser.sessionId(), browser.origin(), true));
    }

    @Test
    void a_user_who_lost_access_is_refused_and_their_open_console_closes_within_five_seconds() throws Exception {
        var client = open(ticket(true));
        String unused = ticket(true);

        setEnabled("admin", false);

        assertRefused(() -> ConsoleClient.open(port, unused, browser.sessionId(), browser.origin(), true));
        assertThat(client.closed.get(5, TimeUnit.SECONDS)).startsWith("4003 ");
    }

    @Test
    void a_withdrawn_grant_refuses_the_next_handshake_and_closes_the_open_console() throws Exception {
        // The demo profile gives alice OPERATE on the simulated host's "test" VM.
        var alice = new HttpBrowser(port);
        alice.signIn("alice", "demo-alice-pass");
        SecurityContextHolder.getContext()
                .setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                        "alice", null, AuthorityUtils.createAuthorityList("ROLE_USER")));
        String first = consoles.openTicket(vm, ConsoleKind.SCREEN, true, alice.sessionId());
        String second = consoles.openTicket(vm, ConsoleKind.SCREEN, true, alice.sessionId());
        var client = ConsoleClient.open(port, first, alice.sessionId(), alice.origin(), true);
        opened.add(client);
        awaitServerGreeting(client);

        signedInAsAdmin();
        assignments.revoke(List.of(vm), new Grantee.User("alice"));
        try {
            assertRefused(() -> ConsoleClient.open(port, second, alice.sessionId(), alice.origin(), true));
            assertThat(client.closed.get(5, TimeUnit.SECONDS)).startsWith("4003 ");
        } finally {
            assignments.assign(List.of(vm), new Grantee.User("alice"), VmAccessLevel.OPERATE);
        }
    }

    @Test
    void a_user_without_a_grant_gets_no_ticket() {
        SecurityContextHolder.getContext()
                .setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                        "bob", null, AuthorityUtils.createAuthorityList("ROLE_USER")));

        assertThatThrownBy(() -> consoles.openTicket(vm, ConsoleKind.SCREEN, false, browser.sessionId()))
                .isInstanceOf(ConsoleRefusedException.class)
                .hasMessage("You do not have access to this console.");
    }

    @Test
    void signing_out_closes_open_consoles_within_five_seconds() throws Exception {
        var client = open(ticket(true));

        browser.signOut();

        assertThat(client.closed.get(5, TimeUnit.SECONDS)).startsWith("4004 ");
    }

    @Test
    void a_session_that_expires_closes_its_consoles_within_five_seconds() throws Exception {
        var client = open(ticket(true));

        // Tomcat counts session timeouts in whole minutes and checks them lazily; shorten this session only.
        tomcatSession(browser.sessionId()).setMaxInactiveInterval(1);

        assertThat(client.closed.get(5, TimeUnit.SECONDS)).startsWith("4004 ");
    }

    @Test
    void a_fifth_console_is_refused_with_a_message_and_at_the_handshake() throws Exception {
        String spare = ticket(true);
        for (int i = 0; i < 4; i++) {
            open(ticket(true));
        }

        assertThatThrownBy(() -> ticket(true))
                .isInstanceOf(ConsoleRefusedException.class)
                .hasMessageContaining("4 consoles open");
        assertRefused(() -> ConsoleClient.open(port, spare, browser.sessionId(), browser.origin(), true));
    }

    private String ticket(boolean interactive) {
        signedInAsAdmin();
        return consoles.openTicket(vm, ConsoleKind.SCREEN, interactive, browser.sessionId());
    }

    /** Waits for the audit record of a closed console whose details contain {@code text}. */
    private void awaitAudited(String text) {
        signedInAsAdmin();
        await().pollInSameThread()
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(audit.latest(20))
                        .anySatisfy(entry -> assertThat(entry.action() + ": " + entry.detail())
                                .startsWith("CONSOLE_CLOSED")
                                .contains(text)));
    }

    /** An RFB client speaks only after the server's greeting: the relay refuses anything earlier. */
    private static void awaitServerGreeting(ConsoleClient client) {
        await().atMost(Duration.ofSeconds(5)).until(() -> client.received.get() >= FakeVncServer.GREETING.length);
    }

    private static void signedInAsAdmin() {
        SecurityContextHolder.getContext()
                .setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                        "admin", null, AuthorityUtils.createAuthorityList("ROLE_ADMIN")));
    }

    private ConsoleClient open(String ticket) throws Exception {
        return open(ticket, true);
    }

    private ConsoleClient open(String ticket, boolean reading) throws Exception {
        var client = ConsoleClient.open(port, ticket, browser.sessionId(), browser.origin(), reading);
        opened.add(client);
        return client;
    }

    private org.apache.catalina.Session tomcatSession(String id) throws IOException {
        var tomcat = ((TomcatWebServer) webServer.getWebServer()).getTomcat();
        var context = (org.apache.catalina.Context) tomcat.getHost().findChildren()[0];
        return context.getManager().findSession(id);
    }

    private long consolesOpen() {
        return sessions.viewers(vm).size();
    }

    private void setEnabled(String username, boolean enabled) {
        database.update("update app_user set enabled = ? where username = ?", enabled, username);
    }

    private static void assertRefused(ThrowingOpen open) {
        assertThatThrownBy(open::open)
                .isInstanceOfSatisfying(
                        ConsoleClient.Refused.class,
                        refused -> assertThat(refused.status).isEqualTo(403));
    }

    private interface ThrowingOpen {
        ConsoleClient open() throws Exception;
    }

    private static byte[] greeting(byte shared) {
        var out = new ByteArrayOutputStream();
        out.writeBytes(FakeVncServer.GREETING);
        out.write(1); // security type None
        out.write(shared);
        return out.toByteArray();
    }

    private static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
