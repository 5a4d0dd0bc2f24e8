package org.kvmportal.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.testing.MutableClock;

class ConsoleTicketsTest {

    private static final ConsoleGrant GRANT = new ConsoleGrant(
            "alice", new DomainRef("lab", UUID.randomUUID()), "vm-1", ConsoleKind.SCREEN, true, "session-a", "USER");

    private final MutableClock clock = new MutableClock();
    private final ConsoleTickets tickets = new ConsoleTickets(Duration.ofSeconds(30), 20, clock);

    @Test
    void a_ticket_opens_once_from_its_own_session() {
        String ticket = tickets.issue(GRANT);

        assertThat(tickets.redeem(ticket, "session-a")).isEqualTo(new Redemption.Admitted(GRANT));
        assertThat(tickets.redeem(ticket, "session-a"))
                .as("replayed")
                .isEqualTo(new Redemption.Refused(HandshakeRefusal.REPLAYED_TICKET, GRANT));
    }

    @Test
    void a_ticket_from_another_session_is_refused_and_spent() {
        String ticket = tickets.issue(GRANT);

        assertThat(tickets.redeem(ticket, "session-b"))
                .isEqualTo(new Redemption.Refused(HandshakeRefusal.OTHER_SESSION, GRANT));
        assertThat(tickets.redeem(ticket, "session-a"))
                .as("a stolen ticket is burnt")
                .isEqualTo(new Redemption.Refused(HandshakeRefusal.REPLAYED_TICKET, GRANT));
        assertThat(tickets.redeem(tickets.issue(GRANT), null))
                .as("no session")
                .isEqualTo(new Redemption.Refused(HandshakeRefusal.OTHER_SESSION, GRANT));
    }

    @Test
    void a_ticket_expires_after_its_lifetime() {
        String ticket = tickets.issue(GRANT);
        clock.advance(Duration.ofSeconds(31));

        assertThat(tickets.redeem(ticket, "session-a"))
                .isEqualTo(new Redemption.Refused(HandshakeRefusal.EXPIRED_TICKET, GRANT));
    }

    @Test
    void tickets_are_long_random_and_unrelated_to_each_other() {
        var seen = new HashSet<String>();
        for (int i = 0; i < 20; i++) {
            String ticket = tickets.issue(GRANT);
            // 256 bits in unpadded base64url: 43 characters, all allowed in a WebSocket subprotocol token.
            assertThat(ticket).hasSize(43).matches("[A-Za-z0-9_-]+");
            assertThat(seen.add(ticket)).isTrue();
        }
    }

    @Test
    void a_made_up_ticket_is_refused() {
        tickets.issue(GRANT);

        assertThat(tickets.redeem("A".repeat(43), "session-a"))
                .isEqualTo(new Redemption.Refused(HandshakeRefusal.UNKNOWN_TICKET, null));
    }

    @Test
    void too_many_tickets_in_a_minute_are_refused_with_a_message_and_allowed_again_later() {
        for (int i = 0; i < 20; i++) {
            tickets.issue(GRANT);
        }

        assertThatThrownBy(() -> tickets.issue(GRANT))
                .isInstanceOf(ConsoleRefusedException.class)
                .hasMessageContaining("Too many console connections");
        var otherUser = new ConsoleGrant("bob", GRANT.vm(), "vm-1", ConsoleKind.SCREEN, true, "session-b", "USER");
        assertThat(tickets.issue(otherUser)).as("a limit per user").isNotEmpty();

        clock.advance(Duration.ofSeconds(61));
        assertThat(tickets.issue(GRANT)).isNotEmpty();
    }

    @Test
    void a_lifetime_above_thirty_seconds_is_refused_at_start() {
        assertThatThrownBy(() -> new ConsoleTickets(Duration.ofSeconds(31), 20, clock))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
