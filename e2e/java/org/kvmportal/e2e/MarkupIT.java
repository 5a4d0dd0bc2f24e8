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

/** Text from libvirt is shown as text: markup in a VM's name or description is displayed literally, never run. */
class MarkupIT extends BrowserTest {

    private static final String HOSTILE = "<img src=x onerror=window.pwned=1>";
    private static final String HOSTILE_DESCRIPTION = "<b>bold?</b><script>window.pwned=2</script> & more";

    @DynamicPropertySource
    static void hostWithAHostileName(DynamicPropertyRegistry registry) {
        var file = Path.of(
                System.getProperty("java.io.tmpdir"),
                "kvmportal-markup-" + ProcessHandle.current().pid() + ".xml");
        String uri =
                TestHostXml.write(file, List.of(new Vm(HOSTILE, RunState.RUNNING, 1, 262_144, HOSTILE_DESCRIPTION)));
        registry.add("kvmportal.hosts[0].name", () -> "sim");
        registry.add("kvmportal.hosts[0].uri", () -> uri);
    }

    @Test
    void markup_in_a_vm_name_and_description_is_shown_literally_in_the_list_and_its_details() {
        signIn(page, ADMIN);

        var link = page.getByRole(AriaRole.LINK, new com.microsoft.playwright.Page.GetByRoleOptions().setName(HOSTILE));
        assertThat(link).isVisible();
        link.click();

        assertThat(page.locator("#vm-name")).hasText(HOSTILE);
        assertThat(page.locator("#overview")).containsText(HOSTILE_DESCRIPTION);
        // The XML is read from the host when its tab opens, and shown as text too.
        page.getByRole(AriaRole.TAB, new com.microsoft.playwright.Page.GetByRoleOptions().setName("XML"))
                .click();
        assertThat(page.locator("#vm-xml")).containsText("<name>&lt;img src=x onerror=window.pwned=1&gt;</name>");
        assertEquals(0, page.locator("img[src=x]").count(), "no image element was created from the name");
        assertEquals(null, page.evaluate("() => window.pwned"), "no script ran");
    }
}
