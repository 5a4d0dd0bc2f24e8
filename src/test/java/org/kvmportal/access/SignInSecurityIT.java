package org.kvmportal.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.kvmportal.testing.HttpBrowser;
import org.kvmportal.testing.PortalOverHttp;

/** Sign-in over plain HTTP, as a browser does it: headers, session fixation, CSRF, sign-out, throttling. */
class SignInSecurityIT extends PortalOverHttp {

    @Test
    void every_page_carries_the_security_headers() throws Exception {
        for (String path : new String[] {"/login", "/", "/styles.css"}) {
            var headers = get(path).headers();
            assertThat(headers.firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
            assertThat(headers.firstValue("X-Frame-Options")).as(path).contains("SAMEORIGIN");
            assertThat(headers.firstValue("Content-Security-Policy")).as(path).contains("frame-ancestors 'self'");
            assertThat(headers.firstValue("Referrer-Policy")).as(path).contains("same-origin");
        }
    }

    @Test
    void signing_in_issues_a_new_session_id_and_signing_out_ends_the_session() throws Exception {
        String before = sessionId();

        var signIn = signIn("admin", "demo-admin-pass");
        assertThat(signIn.headers().firstValue("Location"))
                .hasValueSatisfying(l -> assertThat(l).doesNotContain("error"));
        String after = sessionId();
        assertThat(after).isNotEqualTo(before);
        assertThat(get("/").statusCode()).as("signed in: the VM list is served").isEqualTo(200);

        var signOut = browser.signOut();
        assertThat(signOut.statusCode()).isEqualTo(302);
        var again = get("/");
        assertThat(again.statusCode()).isEqualTo(302);
        assertThat(again.headers().firstValue("Location"))
                .hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
    }

    @Test
    void a_login_form_posted_from_a_foreign_page_without_the_csrf_token_signs_nobody_in() throws Exception {
        // Login CSRF: a page elsewhere posts the attacker's credentials, and the victim's browser would then
        // work (and type) in the attacker's account. With a session already open, as a visited portal leaves one,
        // and without.
        for (boolean visitedBefore : new boolean[] {false, true}) {
            var victim = new HttpBrowser(port);
            if (visitedBefore) {
                victim.get("/login");
            }

            var response = victim.post(
                    "/login", "username=admin&password=demo-admin-pass", "Origin", "https://attacker.example");

            // Refused by the CSRF filter: 403, or (with no session to hold a token) the way to the login page
            // again; a sign-in would have sent the browser to "/", a wrong password to "/login?error".
            String as = "refused, visited before: " + visitedBefore;
            if (response.statusCode() != 403) {
                assertThat(response.statusCode()).as(as).isEqualTo(302);
                assertThat(response.headers().firstValue("Location"))
                        .as(as)
                        .hasValueSatisfying(
                                l -> assertThat(URI.create(l).getPath()).matches("/login(;jsessionid=\\w+)?"));
            }
            assertThat(victim.get("/").statusCode()).as("still signed out").isEqualTo(302);
        }
        assertThat(signIn("admin", "demo-admin-pass").headers().firstValue("Location"))
                .as("the portal's own form, with its token, still signs in")
                .hasValueSatisfying(l -> assertThat(l).doesNotContain("error"));
        assertThat(get("/").statusCode()).isEqualTo(200);
    }

    @Test
    void a_wrong_password_is_refused() throws Exception {
        var response = signIn("helpdesk", "not-the-password");

        assertThat(response.headers().firstValue("Location"))
                .hasValueSatisfying(l -> assertThat(l).endsWith("/login?error"));
        assertThat(get("/").statusCode()).isEqualTo(302);
    }

    @Test
    void five_failures_lock_the_name_even_against_the_right_password_and_unknown_names_look_the_same()
            throws Exception {
        for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
            signIn("bob", "wrong-password-" + i);
            signIn("nobody-by-this-name", "wrong-password-" + i);
        }

        var existing = signIn("bob", "demo-bob-pass");
        var unknown = signIn("nobody-by-this-name", "demo-bob-pass");

        assertThat(existing.headers().firstValue("Location"))
                .hasValueSatisfying(l -> assertThat(l).endsWith("/login?error"));
        assertThat(unknown.headers().firstValue("Location"))
                .isEqualTo(existing.headers().firstValue("Location"));
        assertThat(get("/").statusCode()).as("still signed out").isEqualTo(302);
    }

    private HttpResponse<String> signIn(String username, String password) throws Exception {
        return browser.signIn(username, password);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return browser.get(path);
    }

    private String sessionId() {
        return browser.sessionId();
    }
}
