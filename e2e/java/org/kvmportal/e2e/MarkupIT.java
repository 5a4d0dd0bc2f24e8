package org.kvmportal.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kvmportal.e2e.DemoUser.ADMIN;

import com.microsoft.playwright.options.AriaRole;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kvmportal.testing.TestHostXml;
import org.kvmportal.testing.TestHostXml.RunState;
import org.kvmportal.testing.TestHostXml.Vm;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Text from libvirt is shown as text: a VM named like an HTML tag is displayed literally, never run. */
class MarkupIT extends BrowserTest {

    private static final String HOSTILE = "<img src=x onerror=window.pwned=1>";

    @DynamicPropertySource
    static void hostWithAHostileName(DynamicPropertyRegistry registry) {
        var file = Path.of(
                System.getProperty("java.io.tmpdir"),
                "kvmportal-markup-" + ProcessHandle.current().pid() + ".xml");
        String uri = TestHostXml.write(file, List.of(new Vm(HOSTILE, RunState.RUNNING, 1, 262_144)));
        registry.add("kvmportal.hosts[0].name", () -> "sim");
        registry.add("kvmportal.hosts[0].uri", () -> uri);
    }

    @Test
    void a_vm_named_like_an_html_tag_is_shown_literally_in_the_list_and_its_details() {
        signIn(page, ADMIN);

        var link = page.getByRole(AriaRole.LINK, new com.microsoft.playwright.Page.GetByRoleOptions().setName(HOSTILE));
        assertThat(link).isVisible();
        link.click();

        assertThat(page.locator("#vm-name")).hasText(HOSTILE);
        assertEquals(0, page.locator("img[src=x]").count(), "no image element was created from the name");
        assertEquals(null, page.evaluate("() => window.pwned"), "no script ran");
    }
}
