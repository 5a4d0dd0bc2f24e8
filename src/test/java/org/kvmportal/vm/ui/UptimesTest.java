package org.kvmportal.vm.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.PowerState;

class UptimesTest {

    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    @Test
    void uptime_reads_to_the_minute() {
        assertThat(Uptimes.format(Duration.ofSeconds(59))).isEqualTo("< 1 min");
        assertThat(Uptimes.format(Duration.ofMinutes(42))).isEqualTo("42 min");
        assertThat(Uptimes.format(Duration.ofMinutes(3 * 60 + 7))).isEqualTo("3 h 7 min");
        assertThat(Uptimes.format(Duration.ofHours(2 * 24 + 5).plusMinutes(30))).isEqualTo("2 d 5 h");
    }

    @Test
    void unknown_while_running_without_a_seen_start_and_empty_while_off() {
        assertThat(Uptimes.of(vm(PowerState.RUNNING, NOW.minusSeconds(600)), NOW))
                .isEqualTo("10 min");
        assertThat(Uptimes.of(vm(PowerState.PAUSED, NOW.minusSeconds(600)), NOW))
                .isEqualTo("10 min");
        assertThat(Uptimes.of(vm(PowerState.RUNNING, null), NOW)).isEqualTo(Uptimes.UNKNOWN);
        assertThat(Uptimes.of(vm(PowerState.SHUT_OFF, null), NOW)).isEmpty();
        assertThat(Uptimes.of(vm(PowerState.UNKNOWN, NOW.minusSeconds(600)), NOW))
                .isEmpty();
    }

    private static DomainSummary vm(PowerState state, Instant since) {
        return new DomainSummary(
                new DomainRef("sim", UUID.randomUUID()), "vm", state, 1, 1024, 1024, true, false, false, since);
    }
}
