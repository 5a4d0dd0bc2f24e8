package org.kvmportal.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.kvmportal.e2e.DemoUser.ADMIN;
import static org.kvmportal.e2e.DemoUser.BOB;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Signing in and out, the menu each role gets, and the per-user theme. */
class SignInIT extends BrowserTest {

    private static final Pattern LOGIN_PAGE = Pattern.compile(".*/login$");

    @Test
    void an_admin_sees_every_page_in_the_menu() {
        signIn(page, ADMIN);

        assertMenu(
                "My VMs",
                "Virtual machines",
                "Support",
                "Hosts",
                "Storage",
                "Networks",
                "Audit log",
                "Users",
                "Groups",
                "Change password");
        assertThat(page.locator("#signed-in-user")).hasText("Admin");
    }

    @Test
    void help_desk_sees_support_but_no_hosts_users_or_groups() {
        signIn(page, DemoUser.HELPDESK);

        // The exact menu is awaited first, so the absence checks below cannot pass before it renders.
        assertMenu("My VMs", "Virtual machines", "Support", "Audit log", "Change password");
        assertThat(menuItem("Hosts")).hasCount(0);
        assertThat(menuItem("Storage")).hasCount(0);
        assertThat(menuItem("Networks")).hasCount(0);
        assertThat(menuItem("Users")).hasCount(0);
    }

    @ParameterizedTest(name = "{0} sees their VMs, the audit log of them and Change password in the menu")
    @EnumSource(names = {"EDUCATOR", "ALICE"})
    void users_see_their_vms_the_audit_log_of_them_and_change_password_in_the_menu(DemoUser user) {
        signIn(page, user);

        assertMenu("My VMs", "Virtual machines", "Audit log", "Change password");
        assertThat(menuItem("Support")).hasCount(0);
        assertThat(menuItem("Hosts")).hasCount(0);
        assertThat(page.locator("#signed-in-user")).hasText(user.displayName());
    }

    @Test
    void a_wrong_password_shows_an_error_and_stays_on_the_login_page() {
        page.navigate("/login");
        page.locator("input[name=username]").fill(BOB.username());
        page.locator("input[name=password]").fill("not-" + BOB.password());
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in"))
                .click();

        assertThat(page).hasURL(Pattern.compile(".*/login\\?error$"));
        assertThat(page.locator("vaadin-login-form").getByText("Wrong user name or password"))
                .isVisible();
        assertThat(page.locator("input[name=username]")).isVisible();
        assertThat(page.locator("#signed-in-user")).hasCount(0);
    }

    @Test
    void signing_out_returns_to_the_login_page_and_the_views_need_a_new_sign_in() {
        signIn(page, ADMIN);

        page.locator("#sign-out").click();

        assertThat(page).hasURL(LOGIN_PAGE);
        assertThat(page.locator("input[name=username]")).isVisible();
        page.navigate("/");
        assertThat(page).hasURL(LOGIN_PAGE);
        page.navigate("/audit");
        assertThat(page).hasURL(LOGIN_PAGE);
    }

    @Test
    void the_dark_theme_chosen_once_survives_a_reload_and_a_new_sign_in() {
        signIn(page, BOB);
        assertThat(page.locator("html")).hasAttribute("theme", "light");

        page.locator("#theme-toggle").click();
        try {
            assertDarkTheme(page);

            page.reload();
            assertDarkTheme(page);

            // Another browser has none of this one's storage: the choice must come from the server.
            var elsewhere = newSession();
            signIn(elsewhere, BOB);
            assertDarkTheme(elsewhere);
        } finally {
            // The database lives as long as the test run: later tests expect Bob's default theme.
            page.locator("#theme-toggle").click();
            assertThat(page.locator("html")).hasAttribute("theme", "light");
        }
    }

    private static void assertDarkTheme(Page page) {
        var html = page.locator("html");
        assertThat(html).hasAttribute("theme", "dark");
        assertThat(html).hasCSS("color-scheme", "dark");
    }

    /**
     * The menu holds exactly these entries, in this order. Read from the accessibility tree: an item's text
     * in the DOM also holds the hidden "Toggle child items" of its shadow root.
     */
    private void assertMenu(String... titles) {
        var expected = new StringBuilder("- list:\n  - /children: equal\n");
        for (String title : titles) {
            expected.append("  - listitem:\n    - link \"").append(title).append("\"\n");
        }
        assertThat(page.locator("#main-menu")).matchesAriaSnapshot(expected.toString());
    }

    private Locator menuItem(String title) {
        return page.locator("#main-menu")
                .getByRole(
                        AriaRole.LINK,
                        new Locator.GetByRoleOptions().setName(title).setExact(true));
    }
}
