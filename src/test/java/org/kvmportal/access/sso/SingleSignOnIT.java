package org.kvmportal.access.sso;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.server.auth.AccessAnnotationChecker;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmportal.Application;
import org.kvmportal.access.AccountIdentity;
import org.kvmportal.access.Accounts;
import org.kvmportal.access.GroupAdministration;
import org.kvmportal.access.GroupChanges;
import org.kvmportal.access.Quotas;
import org.kvmportal.access.Role;
import org.kvmportal.testing.SignedIn;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.event.InteractiveAuthenticationSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Single sign-on against real servers started here: Spring's authorization server as the OpenID provider
 * and UnboundID's in-memory LDAP directory, beside the demo profile's local accounts. Each test signs in
 * through the portal's real endpoints, as a browser does.
 */
@SpringBootTest(classes = Application.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("demo")
@Import(SingleSignOnIT.SessionProbe.class)
class SingleSignOnIT {

    private static final OpenIdProvider provider = OpenIdProvider.start();
    private static final Directory directory = Directory.start("/sso/directory.ldif");

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void singleSignOn(DynamicPropertyRegistry registry) {
        registry.add("kvmportal.data-dir", () -> dataDir.toString());
        registry.add("kvmportal.sso.oidc.issuer-uri", provider::issuer);
        registry.add("kvmportal.sso.oidc.client-id", () -> OpenIdProvider.CLIENT_ID);
        registry.add("kvmportal.sso.oidc.client-secret", () -> OpenIdProvider.CLIENT_SECRET);
        registry.add("kvmportal.sso.oidc.display-name", () -> "Test ID");
        registry.add("kvmportal.sso.oidc.role-mapping.ADMIN", () -> "portal-admins");
        registry.add("kvmportal.sso.oidc.role-mapping.USER", () -> "portal-users");
        registry.add("kvmportal.sso.ldap.url", directory::url);
        registry.add("kvmportal.sso.ldap.base-dn", () -> Directory.BASE_DN);
        registry.add("kvmportal.sso.ldap.user-dn-pattern", () -> "uid={0},ou=people");
        registry.add("kvmportal.sso.ldap.group-search-base", () -> "ou=groups");
        registry.add("kvmportal.sso.ldap.role-mapping.ADMIN", () -> "portal-admins");
        registry.add("kvmportal.sso.ldap.role-mapping.USER", () -> "portal-users");
    }

    @AfterAll
    static void stopServers() {
        provider.close();
        directory.close();
    }

    /**
     * What each sign-in put into its HTTP session: Spring announces the very authentication it stores there
     * with an {@link InteractiveAuthenticationSuccessEvent}.
     */
    @TestConfiguration
    static class SessionProbe {

        final Map<String, Authentication> sessions = new ConcurrentHashMap<>();

        @EventListener
        void signedIn(InteractiveAuthenticationSuccessEvent event) {
            sessions.put(event.getAuthentication().getName(), event.getAuthentication());
        }
    }

    @Autowired
    SessionProbe probe;

    @LocalServerPort
    int port;

    @Autowired
    Accounts accounts;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    OidcSignInLink signInLink;

    @Autowired
    GroupAdministration groups;

    private SsoBrowser browser;

    @BeforeEach
    void newBrowser() {
        browser = new SsoBrowser(port);
    }

    // OpenID Connect

    @Test
    void an_openid_user_in_the_admins_group_signs_in_as_admin_and_opens_an_admin_page() throws Exception {
        assertThat(browser.signInWithOpenId(OpenIdProvider.OLIVIA).getPath()).isEqualTo("/");

        assertThat(session("olivia")).isEqualTo("olivia:ROLE_ADMIN");
        assertThat(identity("olivia"))
                .hasValueSatisfying(i -> assertThat(i.roles()).containsExactly(Role.ADMIN));
        assertThat(authSource("olivia")).isEqualTo("OIDC");
        assertThat(canOpenHostsPage("olivia")).isTrue();
        assertThat(lastSignIn("olivia")).isEqualTo("SUCCESS");
    }

    @Test
    void an_openid_user_in_the_users_group_signs_in_as_user_and_cannot_open_an_admin_page() throws Exception {
        assertThat(browser.signInWithOpenId(OpenIdProvider.OSCAR).getPath()).isEqualTo("/");

        assertThat(session("oscar")).isEqualTo("oscar:ROLE_USER");
        assertThat(identity("oscar"))
                .hasValueSatisfying(i -> assertThat(i.roles()).containsExactly(Role.USER));
        assertThat(canOpenHostsPage("oscar")).isFalse();
    }

    @Test
    void an_openid_user_without_a_mapped_group_is_refused_and_gets_no_account() throws Exception {
        assertThat(browser.signInWithOpenId(OpenIdProvider.NINA)).isEqualTo(browser.portal("/login?error"));

        assertSignedOut();
        assertThat(identity("nina")).isEmpty();
        assertThat(lastSignIn("nina"))
                .isEqualTo("FAILURE: Your account has no role in KVM Portal. Ask an" + " administrator for access.");
    }

    @Test
    void an_openid_user_named_like_a_local_account_does_not_take_it_over() throws Exception {
        assertThat(browser.signInWithOpenId(OpenIdProvider.IMPOSTOR)).isEqualTo(browser.portal("/login?error"));

        assertSignedOut();
        assertThat(authSource("admin")).isEqualTo("LOCAL");
        assertThat(lastSignIn("admin")).startsWith("FAILURE: The user name 'admin' belongs to another account");
        var local = new SsoBrowser(port);
        assertThat(local.signIn("admin", "demo-admin-pass").getPath()).isEqualTo("/");
    }

    // LDAP

    @Test
    void a_directory_user_in_the_admins_group_signs_in_as_admin_and_opens_an_admin_page() throws Exception {
        assertThat(browser.signIn("lena", "lena-ldap-pass").getPath()).isEqualTo("/");

        assertThat(session("lena")).isEqualTo("lena:ROLE_ADMIN,ROLE_USER");
        assertThat(identity("lena"))
                .hasValueSatisfying(i -> assertThat(i.roles()).containsExactlyInAnyOrder(Role.ADMIN, Role.USER));
        assertThat(authSource("lena")).isEqualTo("LDAP");
        assertThat(canOpenHostsPage("lena")).isTrue();
        assertThat(lastSignIn("lena")).isEqualTo("SUCCESS");
    }

    @Test
    void a_directory_user_in_the_users_group_signs_in_as_user_and_cannot_open_an_admin_page() throws Exception {
        assertThat(browser.signIn("leo", "leo-ldap-pass").getPath()).isEqualTo("/");

        assertThat(session("leo")).isEqualTo("leo:ROLE_USER");
        assertThat(canOpenHostsPage("leo")).isFalse();
    }

    @Test
    void a_directory_user_without_a_mapped_group_is_refused_and_gets_no_account() throws Exception {
        assertThat(browser.signIn("lara", "lara-ldap-pass")).isEqualTo(browser.portal("/login?error"));

        assertSignedOut();
        assertThat(identity("lara")).isEmpty();
        assertThat(lastSignIn("lara")).startsWith("FAILURE: Your account has no role");
    }

    @Test
    void a_directory_user_named_like_a_local_account_does_not_take_it_over() throws Exception {
        assertThat(browser.signIn("alice", "alice-ldap-pass")).isEqualTo(browser.portal("/login?error"));

        assertSignedOut();
        assertThat(authSource("alice")).isEqualTo("LOCAL");
        assertThat(lastSignIn("alice")).startsWith("FAILURE: The user name 'alice' belongs to another account");
        assertThat(browser.signIn("alice", "demo-alice-pass").getPath()).isEqualTo("/");
        assertThat(session("alice")).isEqualTo("alice:ROLE_USER");
    }

    @Test
    void wrong_directory_passwords_count_against_the_same_throttle_as_local_ones() throws Exception {
        for (int i = 0; i < 4; i++) {
            assertThat(browser.signIn("luke", "wrong-" + i)).isEqualTo(browser.portal("/login?error"));
        }
        assertThat(browser.signIn("luke", "luke-ldap-pass").getPath())
                .as("four failures leave the name open, and each counts once: " + signIns("luke"))
                .isEqualTo("/");

        var other = new SsoBrowser(port);
        for (int i = 0; i < 5; i++) {
            other.signIn("luke", "wrong-" + i);
        }
        assertThat(other.signIn("luke", "luke-ldap-pass"))
                .as("five failures lock the name, even against the right password")
                .isEqualTo(other.portal("/login?error"));
    }

    // Role changes

    @Test
    void a_directory_user_taken_out_of_the_admins_group_loses_older_sessions_at_the_next_sign_in() throws Exception {
        directory.addMember("portal-admins", "lisa");
        assertThat(browser.signIn("lisa", "lisa-ldap-pass").getPath()).isEqualTo("/");
        assertThat(session("lisa")).isEqualTo("lisa:ROLE_ADMIN,ROLE_USER");

        directory.removeMember("portal-admins", "lisa");
        var later = new SsoBrowser(port);
        assertThat(later.signIn("lisa", "lisa-ldap-pass").getPath()).isEqualTo("/");

        assertThat(session("lisa", later)).isEqualTo("lisa:ROLE_USER");
        assertSignedOut();
        assertThat(canOpenHostsPage("lisa")).isFalse();
    }

    @Test
    void a_directory_users_session_holds_their_portal_groups_roles_and_ends_when_those_change() throws Exception {
        assertThat(browser.signIn("liam", "liam-ldap-pass").getPath()).isEqualTo("/");
        assertThat(session("liam")).isEqualTo("liam:ROLE_USER");

        long group = SignedIn.as("admin", "ADMIN", () -> groups.create("sso-support", null));
        SignedIn.as("admin", "ADMIN", () -> {
            groups.update(group, new GroupChanges("sso-support", null, Set.of(Role.HELPDESK), Quotas.NONE));
            groups.addMember(group, "liam");
        });
        assertSignedOut();

        var again = new SsoBrowser(port);
        assertThat(again.signIn("liam", "liam-ldap-pass").getPath()).isEqualTo("/");
        assertThat(session("liam", again)).isEqualTo("liam:ROLE_HELPDESK,ROLE_USER");
        SignedIn.as("admin", "ADMIN", () -> groups.create("sso-unrelated", null));
        assertThat(again.get(again.portal("/")).statusCode())
                .as("a change that leaves Liam's roles alone leaves his session alone")
                .isEqualTo(200);
    }

    // Beside local accounts

    @Test
    void local_sign_in_still_works_and_the_login_page_offers_single_sign_on() throws Exception {
        assertThat(browser.signIn("bob", "demo-bob-pass").getPath()).isEqualTo("/");

        assertThat(session("bob")).isEqualTo("bob:ROLE_USER");
        assertThat(authSource("bob")).isEqualTo("LOCAL");
        assertThat(signInLink.label()).isEqualTo("Sign in with Test ID");
        assertThat(browser.get(browser.portal("/" + signInLink.path())).statusCode())
                .as("the login page's link starts the flow")
                .isEqualTo(302);
    }

    /** The signed-in name and its roles, as the newest session of that name holds them. */
    private String session(String username) throws Exception {
        return session(username, browser);
    }

    private String session(String username, SsoBrowser browser) throws Exception {
        assertThat(browser.get(browser.portal("/")).statusCode())
                .as("signed in")
                .isEqualTo(200);
        var authentication = probe.sessions.get(username);
        assertThat(authentication).as("a session for " + username).isNotNull();
        return authentication.getName() + ":"
                + String.join(
                        ",",
                        authentication.getAuthorities().stream()
                                .map(GrantedAuthority::getAuthority)
                                .filter(authority -> authority.startsWith("ROLE_"))
                                .sorted()
                                .toList());
    }

    private void assertSignedOut() throws Exception {
        assertThat(browser.get(browser.portal("/")).statusCode())
                .as("not signed in")
                .isEqualTo(302);
    }

    /**
     * Whether Vaadin lets the newest session of this name into the admins' Hosts page: its access check,
     * with the session's own authentication and roles.
     */
    private boolean canOpenHostsPage(String username) throws Exception {
        var authentication = probe.sessions.get(username);
        var hostsView = Class.forName("org.kvmportal.host.ui.HostsView");
        return new AccessAnnotationChecker()
                .hasAccess(
                        hostsView,
                        authentication,
                        role -> authentication.getAuthorities().stream()
                                .anyMatch(authority -> authority.getAuthority().equals("ROLE_" + role)));
    }

    private Optional<AccountIdentity> identity(String username) {
        return accounts.identity(username);
    }

    private String authSource(String username) {
        return jdbc.sql("select auth_source from app_user where username = :name")
                .param("name", username)
                .query(String.class)
                .single();
    }

    /** The result of the newest sign-in audited for this name, with the reason for a failure. */
    private String lastSignIn(String username) {
        return jdbc.sql("""
                        select result, detail from audit_event where action = 'SIGN_IN' and username = :name
                        order by id desc fetch first 1 rows only
                        """)
                .param("name", username)
                .query((rs, row) ->
                        rs.getString(2) == null ? rs.getString(1) : rs.getString(1) + ": " + rs.getString(2))
                .single();
    }

    private java.util.List<String> signIns(String username) {
        return jdbc.sql(
                        "select result || ' ' || coalesce(detail, '') from audit_event where action = 'SIGN_IN' and username = :name order by id")
                .param("name", username)
                .query(String.class)
                .list();
    }
}
