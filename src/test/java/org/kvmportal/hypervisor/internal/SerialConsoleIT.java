package org.kvmportal.hypervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kvmportal.testing.Virsh.virsh;
import static org.kvmportal.testing.Virsh.virshQuietly;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.DomainStateChanged;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.HostState;
import org.kvmportal.hypervisor.HostStateChanged;
import org.kvmportal.hypervisor.HypervisorException;
import org.kvmportal.hypervisor.PowerState;
import org.kvmportal.hypervisor.SerialConsole;
import org.kvmportal.testing.Virsh;

/**
 * The serial console of a real guest on {@code qemu:///system}. Uses only demo-charlie: other tests and
 * people use demo-alpha and demo-bravo on the same daemon at the same time.
 */
class SerialConsoleIT {

    private static final String VM = "demo-charlie";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final RecordingEvents events = new RecordingEvents();
    private final List<SerialConsole> opened = new CopyOnWriteArrayList<>();
    private LibvirtHypervisor hypervisor;

    @BeforeEach
    void connect() throws InterruptedException {
        hypervisor = new LibvirtHypervisor(Map.of("local", Virsh.SYSTEM), events, Clock.systemUTC());
        events.await(HostStateChanged.class, e -> e.status().state() == HostState.CONNECTED, WAIT);
    }

    @AfterEach
    void cleanUp() {
        opened.forEach(SerialConsole::close);
        virshQuietly("destroy", VM);
        hypervisor.close();
    }

    @Test
    void a_command_typed_on_the_console_runs_in_the_guest_and_its_output_comes_back() throws Exception {
        var charlie = running();
        var output = new Output();
        var console = open(charlie.ref(), output);
        String marker = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());

        // The shell answers once the guest has booted (seconds to tens of seconds under TCG). The typed line
        // echoes back as "$((6*7))-marker": only the shell's output has "42-marker".
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!output.text().contains("42-" + marker)) {
            assertThat(System.nanoTime())
                    .as("shell answered; console so far: %s", output.text())
                    .isLessThan(deadline);
            console.send(("\necho $((6*7))-" + marker + "\n").getBytes(StandardCharsets.US_ASCII));
            output.awaitText("42-" + marker, Duration.ofSeconds(3));
        }

        console.close();
        console.close();
        assertThat(output.closedReasons()).containsExactly("The serial console was closed.");
        assertThatThrownBy(() -> console.send(new byte[] {'\n'}))
                .isInstanceOf(HypervisorException.class)
                .hasMessageContaining("closed");
        // The stream is really gone on the host: the console opens again at once.
        var again = new Output();
        open(charlie.ref(), again).close();
        assertThat(again.closedReasons()).hasSize(1);
    }

    @Test
    void a_second_session_is_refused_while_the_console_is_in_use() throws Exception {
        var charlie = running();
        var first = open(charlie.ref(), new Output());

        assertThatThrownBy(() -> open(charlie.ref(), new Output()))
                .isInstanceOf(HypervisorException.class)
                .hasMessageContaining("already in use by another session");
        // and the first one is unharmed; it refuses more input than it would queue
        assertThatThrownBy(() -> first.send(new byte[SerialStream.MAX_QUEUED_BYTES + 1]))
                .isInstanceOf(HypervisorException.class)
                .hasMessageContaining("typing too fast");
        first.send(new byte[] {'\n'});
    }

    @Test
    void forcing_the_guest_off_ends_the_open_console() throws Exception {
        var charlie = running();
        var output = new Output();
        open(charlie.ref(), output);

        virsh("destroy", VM);

        output.awaitClosed(Duration.ofSeconds(5));
        Thread.sleep(500);
        assertThat(output.closedReasons()).singleElement().asString().contains("virtual machine stopped");
    }

    @Test
    void losing_the_host_connection_ends_the_open_console() throws Exception {
        var charlie = running();
        var output = new Output();
        open(charlie.ref(), output);

        // Cut only this JVM's connection, on the daemon's side: the daemon and other clients carry on.
        virtAdmin("client-disconnect", "libvirtd", ourClientId());

        output.awaitClosed(Duration.ofSeconds(10));
        assertThat(output.closedReasons()).singleElement().asString().contains("host connection lost");
    }

    @Test
    void a_session_forced_open_elsewhere_ends_ours() throws Exception {
        var charlie = running();
        var output = new Output();
        open(charlie.ref(), output);

        // An admin takes the console over with virsh (which needs a terminal: script(1) gives it one).
        var virsh = new ProcessBuilder(
                        "script", "-qec", "virsh -c " + Virsh.SYSTEM + " console --force " + VM, "/dev/null")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            output.awaitClosed(Duration.ofSeconds(10));
        } finally {
            virsh.destroy();
            virsh.waitFor();
        }
        assertThat(output.closedReasons()).singleElement().asString().contains("another session took it over");
    }

    @Test
    void opening_on_a_shut_off_vm_fails_with_a_clear_message() {
        virshQuietly("destroy", VM);
        var charlie = demo();

        assertThatThrownBy(() -> open(charlie.ref(), new Output()))
                .isInstanceOf(HypervisorException.class)
                .hasMessage("Could not open the serial console of " + VM + ": the virtual machine is not running.");
    }

    private SerialConsole open(DomainRef ref, SerialConsole.Listener listener) {
        try {
            var console = hypervisor.openSerialConsole(ref, listener).join();
            opened.add(console);
            return console;
        } catch (CompletionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    private DomainSummary running() throws InterruptedException {
        var charlie = demo();
        if (charlie.state() != PowerState.RUNNING) {
            hypervisor.start(charlie.ref()).join();
            events.await(
                    DomainStateChanged.class,
                    e -> e.domain().ref().equals(charlie.ref()) && e.domain().state() == PowerState.RUNNING,
                    WAIT);
        }
        return charlie;
    }

    private DomainSummary demo() {
        return hypervisor.domains().stream()
                .filter(domain -> domain.name().equals(VM))
                .findFirst()
                .orElseThrow(() -> new AssertionError(VM + " is not defined: run scripts/demo-host.sh"));
    }

    /**
     * The daemon's id for the newest client connection of this JVM: the test's hypervisor. Older ones may
     * linger until garbage collection (libvirt-java frees the Domain objects of events, each holding the
     * connection, only in finalize).
     */
    private static String ourClientId() {
        String pid = Long.toString(ProcessHandle.current().pid());
        return virtAdmin("srv-clients-list", "libvirtd")
                .lines()
                .map(line -> line.strip().split("\\s+")[0])
                .filter(id -> id.matches("\\d+"))
                .filter(id -> virtAdmin("client-info", "libvirtd", id)
                        .lines()
                        .anyMatch(info -> info.matches("unix_process_id\\s*:\\s*" + pid)))
                .max(Comparator.comparingLong(Long::parseLong))
                .orElseThrow(() -> new AssertionError("This JVM has no client connection to libvirtd"));
    }

    private static String virtAdmin(String... args) {
        var command = new ArrayList<>(List.of("virt-admin", "-q"));
        command.addAll(List.of(args));
        return Virsh.run(command);
    }

    /** What the console delivered, and each closed() with its reason. */
    private static final class Output implements SerialConsole.Listener {

        private final StringBuffer text = new StringBuffer();
        private final List<String> closed = new CopyOnWriteArrayList<>();

        @Override
        public void received(byte[] bytes) {
            text.append(new String(bytes, StandardCharsets.UTF_8));
        }

        @Override
        public void closed(String reason) {
            closed.add(reason);
        }

        String text() {
            return text.toString();
        }

        List<String> closedReasons() {
            return List.copyOf(closed);
        }

        void awaitText(String wanted, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!text().contains(wanted) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }

        void awaitClosed(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (closed.isEmpty()) {
                assertThat(System.nanoTime())
                        .as("console closed within %s; output: %s", timeout, text())
                        .isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }
}
