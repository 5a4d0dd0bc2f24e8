package org.kvmportal.access.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A browser without JavaScript over plain HTTP that follows redirects itself, across the portal (on
 * {@code 127.0.0.1}, the loopback address the provider accepts on any port) and the OpenID provider (on
 * {@code localhost}, so their cookies never mix).
 */
final class SsoBrowser {

    private static final Pattern PORTAL_CSRF = Pattern.compile("<meta name=\"_csrf\" content=\"([^\"]+)\"");
    private static final Pattern FORM_CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");
    private static final int MAX_REDIRECTS = 10;

    private final int portalPort;
    private final HttpClient http;

    SsoBrowser(int portalPort) {
        this.portalPort = portalPort;
        this.http = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    URI portal(String path) {
        return URI.create("http://127.0.0.1:" + portalPort + path);
    }

    /**
     * Clicks "Sign in with ...": the portal sends the browser to the provider, whose login form gets the
     * person's password, and the provider sends it back with a code.
     *
     * @return where the browser lands on the portal in the end
     */
    URI signInWithOpenId(OpenIdProvider.Person person) throws IOException, InterruptedException {
        var loginPage = follow(get(portal("/oauth2/authorization/oidc")));
        assertThat(loginPage.uri().getPath()).as("the provider's login page").isEqualTo("/login");
        var csrf = FORM_CSRF.matcher(loginPage.body());
        assertThat(csrf.find()).as("CSRF token on the provider's login form").isTrue();
        var back = post(
                loginPage.uri(),
                "username=" + encode(person.username()) + "&password=" + encode(person.password()) + "&_csrf="
                        + encode(csrf.group(1)));
        return follow(back).uri();
    }

    /** Posts the portal's own login form; @return where the browser lands */
    URI signIn(String username, String password) throws IOException, InterruptedException {
        var matcher = PORTAL_CSRF.matcher(get(portal("/login")).body());
        assertThat(matcher.find()).as("CSRF token on the portal's login page").isTrue();
        var response = post(
                portal("/login"),
                "username=" + encode(username) + "&password=" + encode(password) + "&_csrf="
                        + encode(matcher.group(1)));
        return follow(response).uri();
    }

    HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(uri).header("Accept", "text/html").GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(URI uri, String form) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> follow(HttpResponse<String> response) throws IOException, InterruptedException {
        var chain = new StringBuilder(response.statusCode() + " " + response.uri());
        for (int i = 0; i < MAX_REDIRECTS && response.statusCode() / 100 == 3; i++) {
            var location = response.headers().firstValue("Location").orElseThrow();
            response = get(response.uri().resolve(location));
            chain.append(" -> ").append(response.statusCode()).append(' ').append(response.uri());
        }
        assertThat(response.statusCode()).as("redirects: " + chain).isEqualTo(200);
        return response;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
