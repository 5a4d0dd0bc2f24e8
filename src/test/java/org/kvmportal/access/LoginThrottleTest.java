package org.kvmportal.access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.kvmportal.testing.MutableClock;

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
}
