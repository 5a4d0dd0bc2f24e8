package org.kvmportal.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kvmportal.Application;
import org.kvmportal.testing.Chromium;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The portal on a random port with the demo users, driven by the system's Chromium. One browser per test
 * class, one browser context (a fresh, signed-out session) per test.
 */
@SpringBootTest(classes = Application.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("demo")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BrowserTest {

    /**
     * A fresh database per test run, so the tests never see, nor leave behind, another run's users and
     * settings. Under target/ rather than /tmp: the JVM cannot delete it safely at exit while H2 may still be
     * closing it, and `mvn clean` removes it.
     */
    private static final Path DATA_DIR = newDataDir();

    /** Vaadin's first render and libvirt events can be slow on a small CI machine. */
    private static final double ASSERTION_TIMEOUT_MS = 10_000;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("kvmportal.data-dir", DATA_DIR::toString);
    }

    @LocalServerPort
    private int port;

    private Playwright playwright;
    private Browser browser;
    private final List<BrowserContext> contexts = new ArrayList<>();

    /** The page of the test's first session, opened before each test. */
    protected Page page;

    @RegisterExtension
    final AfterTestExecutionCallback screenshotOnFailure = test -> {
        if (test.getExecutionException().isPresent()) {
            saveScreenshots(test.getRequiredTestClass().getSimpleName(), test.getDisplayName());
        }
    };

    @BeforeAll
    void launchBrowser() {
        PlaywrightAssertions.setDefaultAssertionTimeout(ASSERTION_TIMEOUT_MS);
        playwright = Chromium.playwright();
        browser = Chromium.launch(playwright);
    }

    @BeforeEach
    void openPage() {
        page = newSession();
    }

    @AfterEach
    void closeSessions() {
        contexts.forEach(BrowserContext::close);
        contexts.clear();
    }

    @AfterAll
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    /** A page in a new browser context: its own cookies, so its own (signed-out) session. */
    protected Page newSession() {
        var context = browser.newContext(new Browser.NewContextOptions().setBaseURL("http://localhost:" + port));
        contexts.add(context);
        return context.newPage();
    }

    /** Signs in through the login form and waits until the main layout shows. */
    protected static void signIn(Page page, DemoUser user) {
        page.navigate("/login");
        page.locator("input[name=username]").fill(user.username());
        page.locator("input[name=password]").fill(user.password());
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in"))
                .click();
        assertThat(page.locator("#signed-in-user")).isVisible();
    }

    private void saveScreenshots(String testClass, String testName) {
        var dir = Path.of(System.getProperty("basedir", "."), "target", "e2e-failures", testClass);
        String base = testName.replaceAll("[^A-Za-z0-9_-]+", "_");
        int n = 0;
        for (var context : contexts) {
            for (var open : context.pages()) {
                try {
                    open.screenshot(new Page.ScreenshotOptions()
                            .setPath(dir.resolve(base + "-" + ++n + ".png"))
                            .setFullPage(true));
                } catch (RuntimeException e) {
                    // A broken page must not hide the test's own failure.
                }
            }
        }
    }

    private static Path newDataDir() {
        try {
            var parent = Files.createDirectories(Path.of(System.getProperty("basedir", "."), "target", "e2e-data"));
            return Files.createTempDirectory(parent, "run-").toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
