package org.kvmportal.benchmark;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.kvmportal.testing.Chromium;

/**
 * Signed-in browser sessions on the VM list, driven from a JVM of their own so that Playwright's client-side
 * objects never show in the heap of the JVM being measured. {@link #start} runs this class's {@link #main}
 * in a child process; they talk in lines: the parent sends {@code open N} or {@code tabs N}, the child opens
 * that many signed-in contexts (or more tabs in the first one) and answers {@code ok} and each opening's
 * time, or {@code error} and the reason.
 */
public final class BrowserSessions implements AutoCloseable {

    private static final double TIMEOUT_MS = 60_000;

    private final Process process;
    private final PrintWriter commands;
    private final BufferedReader answers;

    private BrowserSessions(Process process) {
        this.process = process;
        this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** A child JVM with this JVM's classpath, driving Chromium against {@code baseUrl}. */
    public static BrowserSessions start(String baseUrl, String username, String password, String firstVm)
            throws IOException {
        var java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        var process = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        BrowserSessions.class.getName(),
                        baseUrl,
                        username,
                        password,
                        firstVm)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        return new BrowserSessions(process);
    }

    /** Opens {@code count} more contexts, each signed in and showing the list; returns each one's time. */
    public List<Duration> open(int count) throws IOException {
        return command("open " + count);
    }

    /** Opens {@code count} more tabs on the list in the first context (the same session). */
    public List<Duration> tabs(int count) throws IOException {
        return command("tabs " + count);
    }

    private List<Duration> command(String command) throws IOException {
        commands.println(command);
        String answer;
        do {
            answer = answers.readLine(); // anything else a library prints to standard output is skipped
        } while (answer != null && !answer.startsWith("ok") && !answer.startsWith("error"));
        if (answer == null || !answer.startsWith("ok")) {
            throw new IllegalStateException("Browser sessions failed on '" + command + "': " + answer);
        }
        var times = new ArrayList<Duration>();
        for (String millis : answer.substring(2).strip().split(" ")) {
            if (!millis.isEmpty()) {
                times.add(Duration.ofMillis(Long.parseLong(millis)));
            }
        }
        return times;
    }

    @Override
    public void close() throws InterruptedException {
        commands.println("quit");
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroy();
        }
    }

    /** The child: {@code baseUrl username password firstVm}, then commands on standard input. */
    public static void main(String[] args) throws IOException {
        String baseUrl = args[0];
        String username = args[1];
        String password = args[2];
        String firstVm = args[3];
        var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        var out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        try (var playwright = Chromium.playwright();
                var browser = Chromium.launch(playwright)) {
            var contexts = new ArrayList<BrowserContext>();
            String line;
            while ((line = in.readLine()) != null && !line.equals("quit")) {
                var parts = line.split(" ");
                try {
                    var times = new StringBuilder("ok");
                    for (int i = 0; i < Integer.parseInt(parts[1]); i++) {
                        long start = System.nanoTime();
                        if (parts[0].equals("open")) {
                            var context = browser.newContext(new Browser.NewContextOptions().setBaseURL(baseUrl));
                            contexts.add(context);
                            signIn(context.newPage(), username, password, firstVm);
                        } else {
                            var tab = contexts.getFirst().newPage();
                            tab.navigate("/");
                            firstRow(tab, firstVm).waitFor(visible());
                        }
                        times.append(' ').append((System.nanoTime() - start) / 1_000_000);
                    }
                    out.println(times);
                } catch (RuntimeException e) {
                    out.println("error " + e.getMessage().lines().findFirst().orElse(e.toString()));
                }
            }
        } catch (UncheckedIOException e) {
            out.println("error " + e.getMessage());
        }
    }

    private static void signIn(Page page, String username, String password, String firstVm) {
        page.navigate("/login");
        page.locator("input[name=username]").fill(username);
        page.locator("input[name=password]").fill(password);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in"))
                .click();
        firstRow(page, firstVm).waitFor(visible());
    }

    private static Locator firstRow(Page page, String firstVm) {
        return page.locator("#vm-grid").getByText(firstVm, new Locator.GetByTextOptions().setExact(true));
    }

    private static Locator.WaitForOptions visible() {
        return new Locator.WaitForOptions()
                .setState(WaitForSelectorState.VISIBLE)
                .setTimeout(TIMEOUT_MS);
    }
}
