package org.kvmportal.hypervisor.internal;

import static org.kvmportal.testing.Virsh.virsh;
import static org.kvmportal.testing.Virsh.virshQuietly;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kvmportal.hypervisor.DomainStateChanged;
import org.kvmportal.hypervisor.HostState;
import org.kvmportal.hypervisor.HostStateChanged;
import org.kvmportal.hypervisor.PowerState;
import org.kvmportal.testing.Virsh;

/** The daemon goes away and comes back: the adapter notices, reconnects and receives events again. */
class ReconnectIT {

    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final Path DEMO_HOST_SCRIPT = Path.of("scripts", "demo-host.sh");

    private final RecordingEvents events = new RecordingEvents();
    private LibvirtHypervisor hypervisor;

    @AfterEach
    void cleanUp() {
        startDaemons();
        virshQuietly("destroy", "demo-charlie");
        if (hypervisor != null) {
            hypervisor.close();
        }
    }

    @Test
    void a_restarted_libvirtd_is_reported_down_then_connected_again_with_events_flowing() throws Exception {
        hypervisor = new LibvirtHypervisor(Map.of("local", Virsh.SYSTEM), events, Clock.systemUTC());
        events.await(HostStateChanged.class, e -> e.status().state() == HostState.CONNECTED, WAIT);
        events.clear();

        Virsh.run(List.of("pkill", "-x", "libvirtd"));

        var lost = events.await(HostStateChanged.class, e -> e.status().state() != HostState.CONNECTED, WAIT);
        org.assertj.core.api.Assertions.assertThat(lost.status().reason()).isNotBlank();

        startDaemons();
        events.await(HostStateChanged.class, e -> e.status().state() == HostState.CONNECTED, WAIT);

        virsh("start", "demo-charlie");
        events.await(
                DomainStateChanged.class,
                e -> e.domain().name().equals("demo-charlie") && e.domain().state() == PowerState.RUNNING,
                WAIT);
    }

    private static void startDaemons() {
        Virsh.run(List.of("bash", DEMO_HOST_SCRIPT.toString(), "daemons"));
    }
}
