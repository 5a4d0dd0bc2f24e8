package org.kvmportal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kvmportal.testing.Virsh.virsh;
import static org.kvmportal.testing.Virsh.virshQuietly;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmportal.testing.Chromium;
import org.kvmportal.testing.Virsh;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The screen thumbnail on a real guest's details page, in Chromium. Uses only demo-charlie: other tests and
 * people use demo-alpha and demo-bravo on the same daemon at the same time.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("demo")
class VmThumbnailIT {

    private static final String VM = "demo-charlie";
    private static final double TIMEOUT_MS = 30_000;
    private static final String IMAGE = ".vm-thumbnail img";
    private static final String IMAGE_LOADED = "() => { const i = document.querySelector('.vm-thumbnail img');"
            + " return !!i && !i.hidden && i.complete && i.naturalWidth > 0 && i.src; }";

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void demoHost(DynamicPropertyRegistry registry) {
        Virsh.asOnlyHost(registry, () -> dir);
    }

    @LocalServerPort
    int port;

    private static Playwright playwright;
    private static Browser browser;
    private BrowserContext context;
    private Page page;

    @BeforeAll
    static void launch() {
        playwright = Chromium.playwright();
        browser = Chromium.launch(playwright);
    }

    @AfterAll
    static void quit() {
        browser.close();
        playwright.close();
    }

    @BeforeEach
    void signIn() {
        if (!virsh("domstate", VM).equals("running")) {
            virsh("start", VM);
        }
        context = browser.newContext(new Browser.NewContextOptions().setBaseURL("http://localhost:" + port));
        page = context.newPage();
        page.setDefaultTimeout(TIMEOUT_MS);
        page.navigate("/login");
        page.locator("input[name=username]").fill("admin");
        page.locator("input[name=password]").fill("demo-admin-pass");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in"))
                .click();
        page.waitForURL(url -> !url.contains("/login"));
    }

    @AfterEach
    void cleanUp() {
        context.close();
        virshQuietly("destroy", VM);
    }

    @Test
    void
            the_details_page_shows_the_guests_screen_refreshes_it_while_the_tab_is_visible_and_shows_shut_off_once_it_stops() {
        page.navigate("/vms/local/" + virsh("domuuid", VM));

        var loaded = page.waitForFunction(IMAGE_LOADED);
        loaded.dispose();
        String firstSrc = src();
        assertThat(page.locator(IMAGE).getAttribute("alt")).isEqualTo("Screen of " + VM);
        int naturalWidth = ((Number) page.locator(IMAGE).evaluate("i => i.naturalWidth")).intValue();
        int naturalHeight = ((Number) page.locator(IMAGE).evaluate("i => i.naturalHeight")).intValue();
        assertThat(naturalWidth).isBetween(1, 320);
        assertThat(naturalHeight).isBetween(1, 240);

        // Every ten seconds a new picture, under a new URL so that the browser cannot show a cached one.
        awaitNewPicture(firstSrc);

        // A hidden tab gets no new pictures; shown again, it gets one at once.
        setHidden(true);
        page.waitForTimeout(1_000); // a refresh under way when the tab hid may still land
        String hiddenSrc = src();
        page.waitForTimeout(12_000);
        assertThat(src()).as("no refresh while the tab is hidden").isEqualTo(hiddenSrc);
        setHidden(false);
        awaitNewPicture(hiddenSrc, 5_000);

        virsh("destroy", VM);
        page.getByRole(AriaRole.IMG, new Page.GetByRoleOptions().setName(VM + ": Shut off"))
                .waitFor();
        assertThat(page.locator(IMAGE).isVisible()).isFalse();
    }

    private String src() {
        return page.locator(IMAGE).getAttribute("src");
    }

    private void awaitNewPicture(String previousSrc) {
        awaitNewPicture(previousSrc, TIMEOUT_MS);
    }

    private void awaitNewPicture(String previousSrc, double timeoutMs) {
        page.waitForFunction(
                "previous => { const i = document.querySelector('.vm-thumbnail img');"
                        + " return i.getAttribute('src') !== previous && i.complete && i.naturalWidth > 0; }",
                previousSrc,
                new Page.WaitForFunctionOptions().setTimeout(timeoutMs));
    }

    /** What the browser does when the tab goes to the background or comes back. */
    private void setHidden(boolean hidden) {
        page.evaluate(
                "hidden => { Object.defineProperty(document, 'hidden', {configurable: true, get: () => hidden});"
                        + " document.dispatchEvent(new Event('visibilitychange')); }",
                hidden);
    }
}
