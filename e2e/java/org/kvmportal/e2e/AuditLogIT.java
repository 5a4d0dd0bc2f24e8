package org.kvmportal.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.kvmportal.e2e.DemoUser.ADMIN;
import static org.kvmportal.e2e.DemoUser.ALICE;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kvmportal.audit.AuditEntry;
import org.kvmportal.audit.AuditLog;
import org.kvmportal.audit.AuditVisibility;
import org.kvmportal.hypervisor.DomainRef;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

/**
 * The audit log page: an admin filters by action and exports what the filter shows; Alice reads only the
 * entries about her VM. The entries are written through the service (no VM is touched), about two made-up VMs.
 */
@Import(AuditLogIT.AliceSeesAlpha.class)
class AuditLogIT extends BrowserTest {

    private static final DomainRef ALPHA =
            new DomainRef("it-audit", UUID.fromString("a1fa0000-0000-0000-0000-000000000001"));
    private static final DomainRef BRAVO =
            new DomainRef("it-audit", UUID.fromString("b2a70000-0000-0000-0000-000000000002"));

    /** The visibility rule, fixed for this test: Alice sees ALPHA, nobody else anything. */
    @TestConfiguration
    static class AliceSeesAlpha {
        @Bean
        @Primary
        AuditVisibility aliceSeesAlpha() {
            var vms = Map.of("alice", Set.of(ALPHA));
            return username -> vms.getOrDefault(username, Set.of());
        }
    }

    @Autowired
    AuditLog audit;

    @BeforeAll
    void recordEntries() {
        audit.record(entry("alice", "VM_START", "it-audit/alpha-vm", ALPHA, "because, \"I said so\""));
        audit.record(entry("bob", "VM_REBOOT", "it-audit/bravo-vm", BRAVO, "=HYPERLINK(\"http://x\")"));
    }

    @Test
    void an_admin_filters_by_action_and_exports_exactly_what_the_filter_shows() throws IOException {
        signIn(page, ADMIN);
        page.navigate("/audit");
        assertThat(cell("it-audit/alpha-vm")).hasCount(1);

        page.locator("#audit-actions input").fill("VM_REBOOT");
        page.getByRole(
                        AriaRole.OPTION,
                        new Page.GetByRoleOptions().setName("VM_REBOOT").setExact(true))
                .click();
        page.keyboard().press("Escape");

        assertThat(page).hasURL(Pattern.compile(".*/audit\\?action=VM_REBOOT$"));
        assertThat(cell("it-audit/bravo-vm")).hasCount(1);
        assertThat(cell("it-audit/alpha-vm")).hasCount(0);

        var download = page.waitForDownload(() -> page.locator("#audit-export").click());
        assertThat(download.suggestedFilename()).matches("audit-log-\\d{8}-\\d{6}\\.csv");
        String csv = Files.readString(download.path(), StandardCharsets.UTF_8);
        List<String> lines = Arrays.asList(csv.split("\r\n"));
        assertThat(lines.getFirst())
                .isEqualTo("time,user,role,client,action,target,vm_host,vm_uuid,reason,result,detail");
        assertThat(lines.subList(1, lines.size()))
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line).contains(",VM_REBOOT,"));
        assertThat(csv)
                .contains(",bob,USER,127.0.0.1,VM_REBOOT,it-audit/bravo-vm,it-audit," + BRAVO.uuid()
                        + ",\"'=HYPERLINK(\"\"http://x\"\")\",SUCCESS,")
                .doesNotContain("alpha-vm");

        // The filter survives a reload: it is in the URL.
        page.reload();
        assertThat(cell("it-audit/bravo-vm")).hasCount(1);
        assertThat(cell("it-audit/alpha-vm")).hasCount(0);
    }

    @Test
    void a_user_reads_only_the_entries_about_vms_they_can_see() throws IOException {
        signIn(page, ALICE);
        page.navigate("/audit");

        assertThat(cell("it-audit/alpha-vm")).hasCount(1);
        assertThat(cell("it-audit/bravo-vm")).hasCount(0);
        // Not even her own sign-in: it is about no VM.
        assertThat(cell("SIGN_IN")).hasCount(0);

        page.navigate("/audit?user=bob");
        assertThat(page.locator("#audit-user input")).hasValue("bob");
        assertThat(page.locator("#audit-grid")).containsText("No audit entries to show.");

        page.navigate("/audit");
        assertThat(cell("it-audit/alpha-vm")).hasCount(1);
        var download = page.waitForDownload(() -> page.locator("#audit-export").click());
        String csv = Files.readString(download.path(), StandardCharsets.UTF_8);
        assertThat(csv)
                .contains("alpha-vm")
                .contains("\"because, \"\"I said so\"\"\"")
                .doesNotContain("bravo-vm")
                .doesNotContain("SIGN_IN");
    }

    /**
     * The grid's rows that show this text, through the accessibility tree: the grid reuses row elements, and a
     * hidden one can still hold an old row's text. No RegExp characters but "/" in
     * the text: it goes to the browser as is.
     */
    private Locator cell(String text) {
        return page.locator("#audit-grid")
                .getByRole(
                        AriaRole.ROW,
                        new Locator.GetByRoleOptions().setName(Pattern.compile(" " + text.replace("/", "\\/") + " ")));
    }

    private static AuditEntry entry(String user, String action, String target, DomainRef vm, String reason) {
        return new AuditEntry(Instant.now(), user, "USER", "127.0.0.1", action, target, vm, reason, "SUCCESS", null);
    }
}
