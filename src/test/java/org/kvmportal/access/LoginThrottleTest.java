package org.kvmportal.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private final MutableClock clock = new MutableClock();
    private final LoginThrottle throttle = new LoginThrottle(clock);

    @Test
    void five_failures_block_the_name_for_five_minutes() {
        for (int i = 0; i < LoginThrottle.MAX_FAILURES - 1; i++) {
            throttle.recordFailure("alice");
        }
        assertThat(throttle.isBlocked("alice")).isFalse();

        throttle.recordFailure("alice");
        assertThat(throttle.isBlocked("alice")).isTrue();
        assertThat(throttle.isBlocked(" ALICE "))
                .as("the same name however typed")
                .isTrue();
        assertThat(throttle.isBlocked("bob")).isFalse();

        clock.advance(LoginThrottle.LOCK.plusSeconds(1));
        assertThat(throttle.isBlocked("alice")).isFalse();
    }

    @Test
    void names_that_do_not_exist_are_throttled_the_same_way() {
        for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
            throttle.recordFailure("no-such-user");
        }
        assertThat(throttle.isBlocked("no-such-user")).isTrue();
    }

    @Test
    void a_success_clears_the_count() {
        throttle.recordFailure("alice");
        throttle.recordFailure("alice");
        throttle.recordSuccess("alice");

        assertThat(throttle.recordFailure("alice")).isEqualTo(1);
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
