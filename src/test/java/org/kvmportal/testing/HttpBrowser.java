package org.kvmportal.testing;

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
import java.util.regex.Pattern;

/**
 * The portal over plain HTTP, as a browser without JavaScript sees it: keeps its cookies (so its own
 * session), follows no redirects, signs in through the login form with its CSRF token.
 */
public final class HttpBrowser {

    private static final Pattern CSRF = Pattern.compile("<meta name=\"_csrf\" content=\"([^\"]+)\"");

    private final int port;
    private final CookieManager cookies = new CookieManager();
    private final HttpClient http;

    public HttpBrowser(int port) {
        this.port = port;
        this.http = HttpClient.newBuilder()
                .cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Posts the login form; the response is the redirect that follows it. */
    public HttpResponse<String> signIn(String username, String password) throws IOException, InterruptedException {
        String form = "username=" + encode(username) + "&password=" + encode(password) + "&_csrf=" + csrf("/login");
        var response = post("/login", form);
        assertThat(response.statusCode()).isEqualTo(302);
        return response;
    }

    public HttpResponse<String> signOut() throws IOException, InterruptedException {
        return post("/logout", "_csrf=" + csrf("/"));
    }

    public String csrf(String page) throws IOException, InterruptedException {
        var matcher = CSRF.matcher(get(page).body());
        assertThat(matcher.find()).as("CSRF token on " + page).isTrue();
        return encode(matcher.group(1));
    }

    /** The HTTP session's id, as the JSESSIONID cookie carries it; empty before the first response. */
    public String sessionId() {
        return cookies.getCookieStore().getCookies().stream()
                .filter(cookie -> cookie.getName().equals("JSESSIONID"))
                .map(HttpCookie::getValue)
                .findFirst()
                .orElse("");
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET with one more header, such as a conditional request's. */
    public HttpResponse<String> get(String path, String header, String value) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(uri(path)).header(header, value).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String form) throws IOException, InterruptedException {
        return send(formPost(path, form).build());
    }

    /** A form POST with one more header, such as the Origin of a foreign page's form. */
    public HttpResponse<String> post(String path, String form, String header, String value)
            throws IOException, InterruptedException {
        return send(formPost(path, form).header(header, value).build());
    }

    private HttpRequest.Builder formPost(String path, String form) {
        return HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    public URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    /** The portal's own origin, as a browser on one of its pages sends it. */
    public String origin() {
        return "http://localhost:" + port;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
