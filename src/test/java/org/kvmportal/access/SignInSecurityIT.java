package org.kvmportal.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Sign-in over plain HTTP, as a browser does it: headers, session fixation, sign-out, throttling. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("demo")
class SignInSecurityIT {

    private static final Pattern CSRF = Pattern.compile("<meta name=\"_csrf\" content=\"([^\"]+)\"");

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void isolatedDatabase(DynamicPropertyRegistry registry) {
        registry.add("kvmportal.data-dir", () -> dataDir.toString());
    }

    @LocalServerPort
    int port;

    private CookieManager cookies;
    private HttpClient http;

    @BeforeEach
    void newBrowser() {
        cookies = new CookieManager();
        http = HttpClient.newBuilder()
                .cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

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

        var signOut = post("/logout", "_csrf=" + csrf("/"));
        assertThat(signOut.statusCode()).isEqualTo(302);
        var again = get("/");
        assertThat(again.statusCode()).isEqualTo(302);
        assertThat(again.headers().firstValue("Location"))
                .hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
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
        String form = "username=" + encode(username) + "&password=" + encode(password) + "&_csrf=" + csrf("/login");
        var response = post("/login", form);
        assertThat(response.statusCode()).isEqualTo(302);
        return response;
    }

    private String csrf(String page) throws Exception {
        var matcher = CSRF.matcher(get(page).body());
        assertThat(matcher.find()).as("CSRF token on " + page).isTrue();
        return encode(matcher.group(1));
    }

    private String sessionId() {
        return cookies.getCookieStore().getCookies().stream()
                .filter(cookie -> cookie.getName().equals("JSESSIONID"))
                .map(HttpCookie::getValue)
                .findFirst()
                .orElse("");
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String form) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
