package org.kvmportal.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.kvmportal.e2e.DemoUser.ADMIN;
import static org.kvmportal.testing.MigrationHosts.SECOND;
import static org.kvmportal.testing.MigrationHosts.state;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.Hypervisor;
import org.kvmportal.testing.MigrationHosts;
import org.kvmportal.testing.Virsh;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Moving a VM to another host from its page, with the second libvirt daemon of {@code scripts/second-host.sh}:
 * the dialog, then the VM's page on its new host; virsh on both daemons agrees. A shut-off throwaway guest moves
 * offline (the live move is covered against libvirt itself by {@code LibvirtMigratorIT}).
 */
class MigrateIT extends BrowserTest {

    private MigrationHosts.Guest guest;

    @Autowired
    Hypervisor hypervisor;

    @DynamicPropertySource
    static void twoHosts(DynamicPropertyRegistry registry) {
        MigrationHosts.startSecondHost();
        registry.add("kvmportal.hosts[0].name", () -> "local");
        registry.add("kvmportal.hosts[0].uri", () -> Virsh.SYSTEM);
        registry.add("kvmportal.hosts[1].name", () -> "second");
        registry.add("kvmportal.hosts[1].uri", () -> SECOND);
    }

    @BeforeEach
    void throwawayGuest() {
        guest = MigrationHosts.define(Virsh.SYSTEM);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> hypervisor.connectedHosts().contains("second")
                        && hypervisor.domains().stream()
                                .map(DomainSummary::name)
                                .anyMatch(guest.name()::equals));
    }

    @AfterEach
    void removeGuest() {
        guest.close();
    }

    @Test
    void a_shut_off_vm_moves_to_the_other_host_and_its_page_follows_it() {
        String uuid = Virsh.virsh("domuuid", guest.name()).strip();
        signIn(page, ADMIN);
        page.navigate("/vms/local/" + uuid);
        assertThat(page.locator("#vm-name")).hasText(guest.name());

        page.locator("#migrate-vm").click();
        page.locator("#migrate-target").click();
        page.getByRole(AriaRole.OPTION, new Page.GetByRoleOptions().setName("second"))
                .click();
        page.locator("#start-migration").click();

        assertThat(page).hasURL(Pattern.compile(".*/vms/second/" + uuid + "$"));
        assertThat(page.locator("#vm-name")).hasText(guest.name());
        assertThat(state(SECOND, guest.name())).isEqualTo("shut off");
        assertThat(state(Virsh.SYSTEM, guest.name())).isEqualTo("absent");
    }
}
