package org.kvmportal.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.kvmportal.audit.Actor;
import org.kvmportal.audit.AuditEntry;
import org.kvmportal.audit.AuditLog;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.testing.MutableClock;
import org.mockito.ArgumentCaptor;

/** The rate limit on audited handshake refusals: per address, in all, and the summary of what it left out. */
class ConsoleRefusalsTest {

    private static final ConsoleGrant GRANT = new ConsoleGrant(
            "alice", new DomainRef("lab", UUID.randomUUID()), "vm-1", ConsoleKind.SCREEN, true, "s", "USER");

    private final MutableClock clock = new MutableClock();
    private final AuditLog audit = mock(AuditLog.class);
    private final ConsoleRefusals refusals = new ConsoleRefusals(audit, clock);

    @Test
    void a_flood_from_one_address_is_recorded_up_to_the_limit_then_summed_up_once_its_minute_is_over() {
        for (int i = 0; i < 1_000; i++) {
            refusals.refused(HandshakeRefusal.UNKNOWN_TICKET, Actor.anonymous(null, "192.0.2.1"), null, null);
        }
        refusals.refused(HandshakeRefusal.EXPIRED_TICKET, new Actor("alice", "USER", "192.0.2.2"), GRANT, null);
        clock.advance(Duration.ofSeconds(61));
        refusals.closeQuietWindows();

        var written = recorded();
        assertThat(written).hasSize(ConsoleRefusals.PER_ADDRESS + 2);
        assertThat(written.subList(0, ConsoleRefusals.PER_ADDRESS)).allSatisfy(entry -> {
            assertThat(entry.action()).isEqualTo("CONSOLE_REFUSED");
            assertThat(entry.client()).isEqualTo("192.0.2.1");
            assertThat(entry.role()).isEqualTo(Actor.ANONYMOUS);
            assertThat(entry.vm()).isNull();
        });
        assertThat(written.get(ConsoleRefusals.PER_ADDRESS)).satisfies(entry -> {
            assertThat(entry.client()).isEqualTo("192.0.2.2");
            assertThat(entry.username()).isEqualTo("alice");
            assertThat(entry.vm()).isEqualTo(GRANT.vm());
            assertThat(entry.detail()).startsWith(HandshakeRefusal.EXPIRED_TICKET.name());
        });
        assertThat(written.getLast()).satisfies(summary -> {
            assertThat(summary.action()).isEqualTo("CONSOLE_REFUSED_SUPPRESSED");
            assertThat(summary.client()).isEqualTo("192.0.2.1");
            assertThat(summary.detail()).startsWith((1_000 - ConsoleRefusals.PER_ADDRESS) + " more ");
        });

        refusals.refused(HandshakeRefusal.UNKNOWN_TICKET, Actor.anonymous(null, "192.0.2.1"), null, null);
        assertThat(recorded()).as("a new minute, a new budget").hasSize(ConsoleRefusals.PER_ADDRESS + 3);
    }

    @Test
    void many_addresses_share_the_total_so_spraying_addresses_stays_bounded_too() {
        for (int i = 0; i < 5_000; i++) {
            String address = "10.0." + (i / 250) + "." + (i % 250);
            refusals.refused(HandshakeRefusal.NO_TICKET, Actor.anonymous(null, address), null, null);
        }

        assertThat(recorded()).hasSize(ConsoleRefusals.IN_TOTAL);
    }

    private List<AuditEntry> recorded() {
        var entries = ArgumentCaptor.forClass(AuditEntry.class);
        verify(audit, atLeast(0)).record(entries.capture());
        return entries.getAllValues();
    }
}
