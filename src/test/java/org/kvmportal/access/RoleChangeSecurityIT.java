package org.kvmportal.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.kvmportal.audit.AuditLog;
import org.kvmportal.host.HostService;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.network.NetworkService;
import org.kvmportal.provisioning.ProvisioningService;
import org.kvmportal.storage.StorageService;
import org.kvmportal.testing.HttpBrowser;
import org.kvmportal.testing.PortalOverHttp;
import org.kvmportal.testing.SignedIn;
import org.kvmportal.vm.VmAssignments;
import org.kvmportal.vm.VmMigration;
import org.kvmportal.vm.VmService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Taking a role from someone who is signed in, by every path: their next request no longer has it, and no
 * admin (or help-desk) service lets it through. The services are called with the very authentication the
 * portal gives that person's next request, as a probe behind the security filters records it.
 */
@Import(RoleChangeSecurityIT.RequestProbe.class)
class RoleChangeSecurityIT extends PortalOverHttp {

    private static final String PASSWORD = "role-change-pass-1";

    /** Records the authentication a request carries once Spring Security has loaded it, by the probe header. */
    @TestConfiguration
    static class RequestProbe {

        static final String HEADER = "X-Test-Probe";

        final Map<String, Authentication> seen = new ConcurrentHashMap<>();

        @Bean
        FilterRegistrationBean<OncePerRequestFilter> requestProbeFilter() {
            var filter = new OncePerRequestFilter() {
                @Override
                protected void doFilterInternal(
                        HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                        throws jakarta.servlet.ServletException, java.io.IOException {
                    String probe = request.getHeader(HEADER);
                    if (probe != null) {
                        var authentication = SecurityContextHolder.getContext().getAuthentication();
                        if (authentication != null) {
                            seen.put(probe, authentication);
                        }
                    }
                    chain.doFilter(request, response);
                }
            };
            var registration = new FilterRegistrationBean<OncePerRequestFilter>(filter);
            // After Spring Security's filters, so that the request's security context is loaded.
            registration.setOrder(Ordered.LOWEST_PRECEDENCE);
            return registration;
        }
    }

    @Autowired
    RequestProbe probe;

    @Autowired
    UserAccounts accounts;

    @Autowired
    UserAdministration users;

    @Autowired
    GroupAdministration groups;

    @Autowired
    UserDirectory directory;

    @Autowired
    HostService hosts;

    @Autowired
    StorageService storage;

    @Autowired
    NetworkService networks;

    @Autowired
    ProvisioningService provisioning;

    @Autowired
    VmMigration migration;

    @Autowired
    VmService vms;

    @Autowired
    VmAssignments assignments;

    @Autowired
    AuditLog audit;

    @Autowired
    JdbcClient jdbc;

    // Admins demoted

    @Test
    void an_admin_demoted_directly_is_refused_at_the_next_request_and_by_every_admin_service() throws Exception {
        var anna = signedIn("rc-anna", Role.ADMIN, Role.USER);
        assertAllowed(anna, adminServices());
        assertThat(anna.get("/admin/users").statusCode())
                .as("admin page before")
                .isEqualTo(200);

        asAdmin(() -> users.update("rc-anna", new UserChanges("rc-anna", null, Set.of(Role.USER), Quotas.NONE)));

        assertSignedOut(anna);
        assertRefused(nextRequest(anna), adminServices());
        assertThat(sessionsEndedEntries("rc-anna")).isEqualTo(1);
    }

    @Test
    void an_admin_through_a_group_is_refused_when_the_group_loses_the_role() throws Exception {
        long group = groupGiving("rc-admins-1", Set.of(Role.ADMIN));
        accounts.createIfAbsent("rc-greta", "rc-greta", PASSWORD, Set.of(Role.USER));
        asAdmin(() -> groups.addMember(group, "rc-greta"));
        var greta = signIn("rc-greta");
        assertAllowed(greta, adminServices());

        asAdmin(() -> groups.update(group, new GroupChanges("rc-admins-1", null, Set.of(), Quotas.NONE)));

        assertSignedOut(greta);
        assertRefused(nextRequest(greta), adminServices());
    }

    @Test
    void an_admin_through_a_group_is_refused_when_taken_out_of_it() throws Exception {
        long group = groupGiving("rc-admins-2", Set.of(Role.ADMIN));
        accounts.createIfAbsent("rc-max", "rc-max", PASSWORD, Set.of(Role.USER));
        asAdmin(() -> groups.addMember(group, "rc-max"));
        var max = signIn("rc-max");
        assertAllowed(max, adminServices());

        asAdmin(() -> groups.removeMember(group, "rc-max"));

        assertSignedOut(max);
        assertRefused(nextRequest(max), adminServices());
    }

    @Test
    void an_admin_through_a_group_is_refused_when_the_group_is_deleted() throws Exception {
        long group = groupGiving("rc-admins-3", Set.of(Role.ADMIN));
        accounts.createIfAbsent("rc-ida", "rc-ida", PASSWORD, Set.of(Role.USER));
        asAdmin(() -> groups.addMember(group, "rc-ida"));
        var ida = signIn("rc-ida");

        asAdmin(() -> groups.delete(group));

        assertSignedOut(ida);
        assertRefused(nextRequest(ida), adminServices());
    }

    // Help desk losing its role

    @Test
    void help_desk_losing_its_role_directly_is_refused_by_every_help_desk_service() throws Exception {
        var hana = signedIn("rc-hana", Role.HELPDESK);
        assertAllowed(hana, helpDeskServices());

        asAdmin(() -> users.update("rc-hana", new UserChanges("rc-hana", null, Set.of(Role.USER), Quotas.NONE)));

        assertSignedOut(hana);
        assertRefused(nextRequest(hana), helpDeskServices());
    }

    @Test
    void help_desk_through_a_group_is_refused_when_taken_out_of_it() throws Exception {
        long group = groupGiving("rc-support", Set.of(Role.HELPDESK));
        accounts.createIfAbsent("rc-hugo", "rc-hugo", PASSWORD, Set.of(Role.USER));
        asAdmin(() -> groups.addMember(group, "rc-hugo"));
        var hugo = signIn("rc-hugo");
        assertAllowed(hugo, helpDeskServices());

        asAdmin(() -> groups.removeMember(group, "rc-hugo"));

        assertSignedOut(hugo);
        assertRefused(nextRequest(hugo), helpDeskServices());
    }

    // Who stays signed in

    @Test
    void a_change_that_leaves_someones_roles_alone_leaves_their_session_alone() throws Exception {
        var ulla = signedIn("rc-ulla", Role.USER);
        var vera = signedIn("rc-vera", Role.USER);

        asAdmin(() -> users.update("rc-ulla", new UserChanges("Ulla", "ulla@example.org", Set.of(Role.USER), null)));
        asAdmin(() -> users.update("rc-vera", new UserChanges("rc-vera", null, Set.of(Role.EDUCATOR), null)));

        assertThat(ulla.get("/").statusCode())
                .as("name and e-mail changed: still signed in")
                .isEqualTo(200);
        assertSignedOut(vera);
        var again = new HttpBrowser(port);
        again.signIn("rc-vera", PASSWORD);
        assertThat(roles(nextRequest(again)))
                .as("a new sign-in has the new roles")
                .containsExactly("EDUCATOR");
    }

    @Test
    void a_refused_change_signs_nobody_out() throws Exception {
        long group = groupGiving("rc-admins-4", Set.of(Role.ADMIN));
        accounts.createIfAbsent("rc-olga", "rc-olga", PASSWORD, Set.of(Role.USER));
        asAdmin(() -> groups.addMember(group, "rc-olga"));
        var olga = signIn("rc-olga");

        // Olga may not leave the group that makes her an admin: the change is made, checked, and rolled back.
        assertThatThrownBy(() -> SignedIn.as("rc-olga", "ADMIN", () -> groups.removeMember(group, "rc-olga")))
                .isInstanceOf(AccessInputException.class);

        assertThat(olga.get("/").statusCode()).isEqualTo(200);
        assertAllowed(olga, adminServices());
    }

    // Helpers

    private HttpBrowser signedIn(String username, Role... roles) throws Exception {
        accounts.createIfAbsent(username, username, PASSWORD, Set.of(roles));
        return signIn(username);
    }

    private HttpBrowser signIn(String username) throws Exception {
        var browser = new HttpBrowser(port);
        var response = browser.signIn(username, PASSWORD);
        assertThat(response.headers().firstValue("Location"))
                .hasValueSatisfying(location -> assertThat(location).doesNotContain("error"));
        assertThat(browser.get("/").statusCode()).as(username + " signed in").isEqualTo(200);
        return browser;
    }

    private long groupGiving(String name, Set<Role> roles) {
        return SignedIn.as("admin", "ADMIN", () -> {
            long id = groups.create(name, null);
            groups.update(id, new GroupChanges(name, null, roles, Quotas.NONE));
            return id;
        });
    }

    private static void asAdmin(Runnable change) {
        SignedIn.as("admin", "ADMIN", change);
    }

    /** The authentication the portal gives this browser's next request. */
    private Authentication nextRequest(HttpBrowser browser) throws Exception {
        String id = UUID.randomUUID().toString();
        browser.get("/login", RequestProbe.HEADER, id);
        var authentication = probe.seen.get(id);
        assertThat(authentication).as("the probe saw the request").isNotNull();
        return authentication;
    }

    private static void assertSignedOut(HttpBrowser browser) throws Exception {
        var next = browser.get("/admin/users");
        assertThat(next.statusCode()).as("the next request is sent to sign in").isEqualTo(302);
        assertThat(next.headers().firstValue("Location"))
                .hasValueSatisfying(location -> assertThat(location).endsWith("/login"));
    }

    private void assertAllowed(HttpBrowser browser, Map<String, Runnable> services) throws Exception {
        var authentication = nextRequest(browser);
        services.forEach((name, call) -> {
            try {
                as(authentication, call);
            } catch (RuntimeException e) {
                assertThat(e)
                        .as(name + " lets the signed-in session through")
                        .isNotInstanceOf(AccessDeniedException.class);
            }
        });
    }

    private static void assertRefused(Authentication authentication, Map<String, Runnable> services) {
        assertThat(roles(authentication)).as("roles of the next request").doesNotContain("ADMIN", "HELPDESK");
        services.forEach((name, call) ->
                assertThatThrownBy(() -> as(authentication, call)).as(name).isInstanceOf(AccessDeniedException.class));
    }

    private static void as(Authentication authentication, Runnable call) {
        var previous = SecurityContextHolder.getContext();
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(authentication);
        SecurityContextHolder.setContext(context);
        try {
            call.run();
        } finally {
            SecurityContextHolder.setContext(previous);
        }
    }

    private static List<String> roles(Authentication authentication) {
        return authentication.getAuthorities().stream()
                .map(authority -> authority.getAuthority())
                .filter(authority -> authority.startsWith("ROLE_"))
                .map(authority -> authority.substring("ROLE_".length()))
                .sorted()
                .toList();
    }

    /** One call of every admin-only service, each harmless when it is let through. */
    private Map<String, Runnable> adminServices() {
        var ref = new DomainRef("no-such-host", UUID.randomUUID());
        var calls = new LinkedHashMap<String, Runnable>();
        calls.put("UserAdministration", () -> users.count(""));
        calls.put("GroupAdministration", () -> groups.list());
        calls.put("HostService", () -> hosts.rows());
        calls.put("StorageService", () -> storage.hosts());
        calls.put("NetworkService", () -> networks.hosts());
        calls.put("ProvisioningService", () -> provisioning.hosts());
        calls.put("VmMigration", () -> migration.targetsFor(ref));
        calls.put("AuditLog.latest", () -> audit.latest(1));
        calls.putAll(helpDeskServices());
        return calls;
    }

    /** One call of every service for help desk (and admins). */
    private Map<String, Runnable> helpDeskServices() {
        var calls = new LinkedHashMap<String, Runnable>();
        calls.put("UserDirectory", () -> directory.search("a", 1));
        calls.put("VmService.vmsOf", () -> vms.vmsOf("alice"));
        calls.put("VmAssignments.owners", () -> assignments.owners());
        return calls;
    }

    private int sessionsEndedEntries(String username) {
        return jdbc.sql("select count(*) from audit_event where action = :action and target = :name")
                .param("action", OutdatedSessions.AUDIT_ACTION)
                .param("name", username)
                .query(Integer.class)
                .single();
    }
}
