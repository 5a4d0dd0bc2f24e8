package org.kvmportal.hypervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.DomainStateChanged;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.HostState;
import org.kvmportal.hypervisor.HypervisorException;
import org.kvmportal.hypervisor.PowerState;
import org.kvmportal.hypervisor.SerialConsole;

/**
 * The adapter against libvirt's built-in test driver: a real libvirt, in-process, with one running domain
 * named "test".
 */
class LibvirtHypervisorTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final RecordingEvents events = new RecordingEvents();
    private LibvirtHypervisor hypervisor;

    @BeforeEach
    void connect() throws InterruptedException {
        hypervisor = new LibvirtHypervisor(Map.of("sim", "test:///default"), events, Clock.systemUTC());
        awaitConnected();
        // libvirt keeps test:///default's state for the whole process: start every test from "running".
        var test = theTestDomain();
        if (test.state() == PowerState.PAUSED) {
            hypervisor.resume(test.ref()).join();
        } else if (test.state() != PowerState.RUNNING) {
            hypervisor.start(test.ref()).join();
        }
        // The start's own refresh is published asynchronously: let it land before the test records events.
        assertState(test.ref(), PowerState.RUNNING);
        events.clear();
    }

    @AfterEach
    void close() {
        hypervisor.close();
    }

    @Test
    void lists_the_test_drivers_domain_with_its_state_and_size() {
        assertThat(hypervisor.hosts()).singleElement().satisfies(host -> {
            assertThat(host.state()).isEqualTo(HostState.CONNECTED);
            assertThat(host.simulated()).isTrue();
        });
        var test = theTestDomain();
        assertThat(test.state()).isEqualTo(PowerState.RUNNING);
        assertThat(test.vcpus()).isPositive();
        assertThat(test.memoryKiB()).isPositive();
        assertThat(test.persistent()).isTrue();
        assertThat(hypervisor.domain(test.ref())).contains(test);
    }

    @Test
    void lifecycle_actions_change_the_state_and_publish_events() throws Exception {
        var ref = theTestDomain().ref();

        hypervisor.pause(ref).join();
        assertState(ref, PowerState.PAUSED);
        hypervisor.resume(ref).join();
        assertState(ref, PowerState.RUNNING);
        hypervisor.forceOff(ref).join();
        assertState(ref, PowerState.SHUT_OFF);
        hypervisor.start(ref).join();
        assertState(ref, PowerState.RUNNING);
        hypervisor.shutdown(ref).join();
        assertState(ref, PowerState.SHUT_OFF);
    }

    @Test
    void uptime_counts_from_the_started_event_the_portal_received() throws Exception {
        var ref = theTestDomain().ref();
        hypervisor.forceOff(ref).join();
        assertState(ref, PowerState.SHUT_OFF);
        assertThat(theTestDomain().uptime(Instant.now())).isEmpty();
        // Reads are applied in order, so nothing published from here on predates the stop.
        events.clear();

        var before = Instant.now();
        hypervisor.start(ref).join();
        var started = events.await(
                DomainStateChanged.class,
                event -> event.domain().ref().equals(ref) && event.domain().runningSince() != null,
                WAIT);

        assertThat(started.domain().runningSince()).isBetween(before, Instant.now());
        assertThat(theTestDomain().uptime(Instant.now())).isPresent();
    }

    @Test
    void an_action_in_the_wrong_state_fails_with_a_readable_message() {
        var ref = theTestDomain().ref();
        hypervisor.forceOff(ref).join();

        assertThatThrownBy(() -> hypervisor.resume(ref).join())
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOf(HypervisorException.class)
                .hasMessageStartingWith("Could not resume test: ");
    }

    @Test
    void unknown_hosts_and_domains_fail_with_a_readable_message() {
        var missing = new DomainRef("sim", java.util.UUID.randomUUID());
        assertThatThrownBy(() -> hypervisor.start(missing).join())
                .cause()
                .isInstanceOf(HypervisorException.class)
                .hasMessageContaining("no longer exists");
        assertThatThrownBy(() -> hypervisor.bulkStats("nowhere").join())
                .cause()
                .hasMessage("No host named nowhere is configured.");
    }

    @Test
    void bulk_stats_return_every_domain_in_one_call() {
        var stats = hypervisor.bulkStats("sim").join();

        assertThat(stats).singleElement().satisfies(record -> {
            assertThat(record.ref()).isEqualTo(theTestDomain().ref());
            assertThat(record.name()).isEqualTo("test");
            // The test driver reports only the state group; the demo host test checks CPU, memory and disks.
            assertThat(record.longValue("state.state", -1)).isEqualTo(1); // VIR_DOMAIN_RUNNING
            assertThat(record.fields()).containsKey("state.reason");
        });
    }

    @Test
    void description_is_rewritten_through_the_dom_and_keeps_other_definition_parts() {
        var ref = theTestDomain().ref();
        String tricky = "Lab \"A\" <b>bold</b> & more\nsecond line – ünïcode";

        hypervisor.setDescription(ref, tricky).join();

        String xml = hypervisor.domainXml(ref).join();
        var description = DomainXml.parse(xml).getElementsByTagName("description");
        assertThat(description.getLength()).isEqualTo(1);
        assertThat(description.item(0).getTextContent()).isEqualTo(tricky);
        assertThat(xml).contains("<name>test</name>");
    }

    @Test
    void a_serial_console_on_the_test_driver_fails_with_a_readable_message() {
        var closed = new CopyOnWriteArrayList<String>();
        var listener = new SerialConsole.Listener() {
            @Override
            public void received(byte[] bytes) {}

            @Override
            public void closed(String reason) {
                closed.add(reason);
            }
        };

        assertThatThrownBy(() -> hypervisor
                        .openSerialConsole(theTestDomain().ref(), listener)
                        .join())
                .cause()
                .isInstanceOf(HypervisorException.class)
                .hasMessage(
                        "Could not open the serial console of test: the host's hypervisor driver does not support serial consoles.");
        assertThat(closed).isEmpty();
    }

    @Test
    void a_screenshot_of_the_test_domain_is_a_png_scaled_to_fit_a_thumbnail() throws Exception {
        // The test driver sends libvirt's own 1120 x 832 grayscale PNG.
        var screenshot = hypervisor.screenshot(theTestDomain().ref()).get(10, TimeUnit.SECONDS);

        var image = ImageIO.read(new ByteArrayInputStream(screenshot.png()));
        assertThat(image.getWidth()).isEqualTo(screenshot.width()).isEqualTo(320);
        assertThat(image.getHeight()).isEqualTo(screenshot.height()).isEqualTo(238);
    }

    @Test
    void a_screenshot_of_a_stopped_domain_fails_with_a_readable_message() throws Exception {
        var ref = theTestDomain().ref();
        hypervisor.forceOff(ref).join();

        assertThatThrownBy(() -> hypervisor.screenshot(ref).join())
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOf(HypervisorException.class)
                .hasMessage("Could not take a screenshot of test: the virtual machine is not running.");
    }

    private DomainSummary theTestDomain() {
        return hypervisor.domains().stream()
                .filter(domain -> domain.name().equals("test"))
                .findFirst()
                .orElseThrow();
    }

    private void assertState(DomainRef ref, PowerState expected) throws InterruptedException {
        assertThat(hypervisor.domain(ref)).map(DomainSummary::state).contains(expected);
        events.await(
                DomainStateChanged.class,
                event -> event.domain().ref().equals(ref) && event.domain().state() == expected,
                WAIT);
    }

    private void awaitConnected() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (hypervisor.hosts().getFirst().state() != HostState.CONNECTED) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not connected: " + hypervisor.hosts());
            }
            Thread.sleep(20);
        }
    }
}
