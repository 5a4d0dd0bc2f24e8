package org.kvmportal.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmportal.hypervisor.HostState;
import org.kvmportal.hypervisor.HostStatus;
import org.kvmportal.hypervisor.Hypervisor;
import org.kvmportal.testing.TestHostXml;
import org.kvmportal.testing.TestHostXml.RunState;
import org.kvmportal.testing.TestHostXml.Vm;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Adding, changing and removing hosts, with a configured simulated host beside them. */
@SpringBootTest
@DirtiesContext
@WithMockUser(username = "root-admin", roles = "ADMIN")
class HostServiceTest {

    /** Nothing listens on port 1: the connection is refused at once. */
    private static final String UNREACHABLE = "qemu+tcp://127.0.0.1:1/system";

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void configuredHost(DynamicPropertyRegistry registry) {
        registry.add("kvmportal.hosts[0].name", () -> "sim");
        registry.add("kvmportal.hosts[0].uri", () -> "test:///default");
        registry.add("kvmportal.data-dir", () -> dir.resolve("data").toString());
    }

    @Autowired
    HostService hosts;

    @Autowired
    HostRecordRepository repository;

    @Autowired
    Hypervisor hypervisor;

    @Test
    void a_reachable_host_is_tested_saved_managed_changed_and_removed() throws Exception {
        String lab = TestHostXml.write(dir.resolve("lab.xml"), List.of(new Vm("lab-vm", RunState.RUNNING, 1, 262_144)));

        assertThat(hosts.test(lab).join().hypervisor()).startsWith("TEST ");
        hosts.add("lab", lab, false).join();

        assertThat(repository.findByName("lab")).isPresent();
        awaitState("lab", HostState.CONNECTED);
        assertThat(hosts.rows())
                .filteredOn(row -> row.status().name().equals("lab"))
                .singleElement()
                .satisfies(row -> {
                    assertThat(row.editable()).isTrue();
                    assertThat(row.vmsDefined()).isEqualTo(1);
                    assertThat(row.vmsRunning()).isEqualTo(1);
                });

        // libvirt's test driver refuses a second open of the same file, so the new definition uses another.
        String moved = TestHostXml.write(dir.resolve("lab-2.xml"), List.of());
        hosts.change("lab", "lab-2", moved, false).join();
        assertThat(repository.findByName("lab")).isEmpty();
        awaitState("lab-2", HostState.CONNECTED);

        hosts.remove("lab-2");
        assertThat(repository.findByName("lab-2")).isEmpty();
        assertThat(hypervisor.hosts()).extracting(HostStatus::name).containsExactly("sim");
    }

    @Test
    void an_unreachable_host_is_not_saved_unless_asked() throws Exception {
        assertThatThrownBy(() -> hosts.add("far", UNREACHABLE, false).join())
                .isInstanceOf(CompletionException.class)
                .hasMessageContaining("Could not connect to " + UNREACHABLE);
        assertThat(repository.findByName("far")).isEmpty();
        assertThat(hypervisor.hosts()).extracting(HostStatus::name).doesNotContain("far");

        hosts.add("far", UNREACHABLE, true).join();

        assertThat(repository.findByName("far")).isPresent();
        awaitState("far", HostState.DOWN);
        hosts.remove("far");
    }

    @Test
    void bad_input_is_refused_field_by_field_and_nothing_is_saved() {
        assertRefused("", "test:///default", "name");
        assertRefused("has space", "test:///default", "name");
        assertRefused("SIM", "test:///default", "name"); // taken by the configured host, whatever the case
        assertRefused("web", "", "uri");
        assertRefused("web", "http://lab-1/system", "uri");
        assertRefused("web", "qemu+ssh://lab-1/", "uri");
        assertRefused("web", "qemu:///system extra", "uri");
        assertThat(repository.count()).isZero();
    }

    @Test
    void hosts_from_the_configuration_file_cannot_be_changed_here() {
        assertThatThrownBy(() -> hosts.remove("sim"))
                .isInstanceOf(HostInputException.class)
                .hasMessageContaining("configuration file");
        assertThat(hypervisor.hosts()).extracting(HostStatus::name).contains("sim");
    }

    @Test
    @WithMockUser(roles = "HELPDESK")
    void only_admins_manage_hosts() {
        assertThatThrownBy(() -> hosts.rows()).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> hosts.add("x", "test:///default", false)).isInstanceOf(AccessDeniedException.class);
    }

    private void assertRefused(String name, String uri, String field) {
        assertThatThrownBy(() -> hosts.add(name, uri, true).join())
                .as("%s / %s", name, uri)
                .cause()
                .isInstanceOfSatisfying(
                        HostInputException.class, e -> assertThat(e.field()).isEqualTo(field));
    }

    private void awaitState(String host, HostState state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (hypervisor.hosts().stream().noneMatch(h -> h.name().equals(host) && h.state() == state)) {
            assertThat(System.nanoTime())
                    .as(host + " " + state + ": " + hypervisor.hosts())
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
