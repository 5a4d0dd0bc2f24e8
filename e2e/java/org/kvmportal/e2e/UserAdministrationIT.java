package org.kvmportal.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.kvmportal.e2e.DemoUser.ADMIN;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Admins manage users and groups; the people they manage feel it at once. */
class UserAdministrationIT extends BrowserTest {

    private static final Pattern LOGIN_PAGE = Pattern.compile(".*/login$");
    private static final Pattern CHANGE_PASSWORD = Pattern.compile(".*/change-password$");
    private static final String FINAL_PASSWORD = "my-own-password-42";

    /** No VM is touched here: libvirt's in-process test host keeps the machine's libvirtd out of it. */
    @DynamicPropertySource
    static void simulatedHost(DynamicPropertyRegistry registry) {
        registry.add("kvmportal.hosts[0].name", () -> "sim");
        registry.add("kvmportal.hosts[0].uri", () -> "test:///default");
    }

    @Test
    void a_new_user_must_change_the_first_password_before_using_anything() {
        signIn(page, ADMIN);
        createUser(page, "nina", "first-pass-nina");
        assertThat(page.locator("#user-state")).hasText("enabled, must change password");

        var nina = newSession();
        signInAs(nina, "nina", "first-pass-nina");
        assertThat(nina).hasURL(CHANGE_PASSWORD);
        assertThat(nina.locator("#password-change-required")).isVisible();
        nina.navigate("/admin/users");
        assertThat(nina).hasURL(CHANGE_PASSWORD);
        nina.navigate("/");
        assertThat(nina).hasURL(CHANGE_PASSWORD);

        changePassword(nina, "first-pass-nina", "first-pass-nina");
        assertThat(nina.locator("#new-password")).hasAttribute("invalid", "");
        assertThat(nina).hasURL(CHANGE_PASSWORD);
        changePassword(nina, "first-pass-nina", FINAL_PASSWORD);

        assertThat(nina).not().hasURL(CHANGE_PASSWORD);
        nina.navigate("/");
        assertThat(nina.locator("#password-change-required")).hasCount(0);
        assertThat(nina).not().hasURL(CHANGE_PASSWORD);
        page.reload();
        assertThat(page.locator("#user-state")).hasText("enabled");
    }

    @Test
    void a_disabled_user_lands_on_the_login_page_at_the_next_click() {
        signIn(page, ADMIN);
        createUser(page, "oscar", "first-pass-oscar");
        var oscar = newSession();
        signInFirstTime(oscar, "oscar", "first-pass-oscar");
        assertThat(oscar.locator("#signed-in-user")).isVisible();

        page.locator("#toggle-enabled").click();
        assertThat(page.locator("#user-state")).hasText("disabled");

        // Any server round trip will do; the theme switch exists on every page.
        oscar.locator("#theme-toggle").click();
        assertThat(oscar).hasURL(LOGIN_PAGE);
        signInExpectingRefusal(oscar, "oscar", FINAL_PASSWORD);
    }

    @Test
    void a_groups_admin_role_opens_the_admin_pages_to_its_members() {
        signIn(page, ADMIN);
        createUser(page, "pia", "first-pass-pia");
        var pia = newSession();
        signInFirstTime(pia, "pia", "first-pass-pia");
        pia.navigate("/admin/users");
        // Vaadin answers a route the user may not enter as if it did not exist.
        assertThat(pia.getByText("Could not navigate to 'admin/users'")).isVisible();
        assertThat(pia.locator("#user-grid")).hasCount(0);

        page.navigate("/admin/groups");
        page.locator("#new-group").click();
        page.locator("#new-group-name input").fill("Operators");
        page.locator("#create-group").click();
        assertThat(page.locator("#group-title")).hasText("Group Operators");
        page.locator("#group-roles")
                .getByText("Admin", new Locator.GetByTextOptions().setExact(true))
                .click();
        page.locator("#save-group").click();
        page.locator("#add-member input").fill("pia");
        page.getByRole(AriaRole.OPTION, new Page.GetByRoleOptions().setName("pia"))
                .click();
        page.locator("#add-member-button").click();
        assertThat(page.locator("#member-grid")).containsText("pia");

        // Roles come with the sign-in: a new session of Pia's has the group's.
        var again = newSession();
        signInAs(again, "pia", FINAL_PASSWORD);
        again.navigate("/admin/users");
        assertThat(again.locator("#user-grid")).isVisible();
        assertThat(again.locator("#main-menu")).containsText("Users");
    }

    @Test
    void a_demoted_admin_lands_on_the_login_page_at_the_next_click_and_comes_back_without_the_role() {
        signIn(page, ADMIN);
        createUser(page, "rex", "first-pass-rex");
        setAdmin(page, true);
        var rex = newSession();
        signInFirstTime(rex, "rex", "first-pass-rex");
        rex.navigate("/admin/users");
        assertThat(rex.locator("#user-grid")).isVisible();

        setAdmin(page, false);

        // The very next round trip of the open admin page, whatever it is.
        rex.locator("#theme-toggle").click();
        assertThat(rex).hasURL(LOGIN_PAGE);
        // Signing in again leads back to the page he was on, which is no longer his.
        submitLogin(rex, "rex", FINAL_PASSWORD);
        assertThat(rex.getByText("Could not navigate to 'admin/users'")).isVisible();
        assertThat(rex.locator("#user-grid")).hasCount(0);
        rex.navigate("/");
        assertThat(rex.locator("#signed-in-user")).isVisible();
        assertThat(rex.locator("#main-menu")).not().containsText("Users");
        rex.navigate("/admin/users");
        assertThat(rex.getByText("Could not navigate to 'admin/users'")).isVisible();
        assertThat(rex.locator("#user-grid")).hasCount(0);
    }

    @Test
    void a_first_password_beyond_72_bytes_is_refused_at_its_field_in_the_dialog() {
        signIn(page, ADMIN);
        page.navigate("/admin/users");
        page.locator("#new-user").click();
        page.locator("#new-username input").fill("tess");
        page.locator("#new-display-name input").fill("User tess");
        page.locator("#new-password input").fill("ä".repeat(37)); // 37 characters, 74 bytes
        page.locator("#create-user").click();

        assertThat(page.locator("#new-password")).hasAttribute("invalid", "");
        assertThat(page.locator("#new-username")).not().hasAttribute("invalid", "");
        assertThat(page.locator("#create-user")).isVisible();
    }

    /** On a user's page: ticks or clears the Admin role and saves. */
    private static void setAdmin(Page admin, boolean checked) {
        var box = admin.locator("#user-roles vaadin-checkbox").filter(new Locator.FilterOptions().setHasText("Admin"));
        if (box.getAttribute("checked") != null != checked) {
            box.click();
        }
        admin.locator("#save-user").click();
        assertThat(admin.getByText("Saved.").last()).isVisible();
        if (checked) {
            assertThat(box).hasAttribute("checked", "");
        } else {
            assertThat(box).not().hasAttribute("checked", "");
        }
    }

    /** Creates a user with role USER through the dialog; ends on the new user's page. */
    private static void createUser(Page admin, String username, String password) {
        admin.navigate("/admin/users");
        admin.locator("#new-user").click();
        admin.locator("#new-username input").fill(username);
        admin.locator("#new-display-name input").fill("User " + username);
        admin.locator("#new-password input").fill(password);
        admin.locator("#create-user").click();
        assertThat(admin.locator("#user-title")).hasText(username);
    }

    private static void signInFirstTime(Page page, String username, String firstPassword) {
        signInAs(page, username, firstPassword);
        assertThat(page).hasURL(CHANGE_PASSWORD);
        changePassword(page, firstPassword, FINAL_PASSWORD);
        assertThat(page).not().hasURL(CHANGE_PASSWORD);
    }

    private static void signInAs(Page page, String username, String password) {
        submitLogin(page, username, password);
        assertThat(page.locator("#signed-in-user")).isVisible();
    }

    private static void signInExpectingRefusal(Page page, String username, String password) {
        submitLogin(page, username, password);
        assertThat(page).hasURL(Pattern.compile(".*/login\\?error$"));
    }

    private static void submitLogin(Page page, String username, String password) {
        page.navigate("/login");
        page.locator("input[name=username]").fill(username);
        page.locator("input[name=password]").fill(password);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in"))
                .click();
    }

    private static void changePassword(Page page, String current, String fresh) {
        page.locator("#current-password input").fill(current);
        page.locator("#new-password input").fill(fresh);
        page.locator("#repeat-password input").fill(fresh);
        page.locator("#change-password-button").click();
    }
}
