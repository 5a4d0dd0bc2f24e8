package org.kvmportal.access;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Counts failed sign-ins per user name: after {@value #MAX_FAILURES} failures within the lock period the
 * name is refused for {@link #LOCK}. Keyed by the name typed, whether or not such an account exists, so the
 * answer never reveals which accounts exist.
 */
@Component
class LoginThrottle {

    static final int MAX_FAILURES = 5;
    static final Duration LOCK = Duration.ofMinutes(5);
    /** Bounds memory when someone sprays random user names. */
    private static final int MAX_TRACKED = 10_000;

    private record Failures(int count, Instant lastFailure) {}

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final Clock clock;

    LoginThrottle() {
        this(Clock.systemUTC());
    }

    LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    boolean isBlocked(String username) {
        var entry = failures.get(key(username));
        if (entry == null) {
            return false;
        }
        if (expired(entry)) {
            failures.remove(key(username), entry);
            return false;
        }
        return entry.count() >= MAX_FAILURES;
    }

    /** @return the number of consecutive failures for this name, this one included */
    int recordFailure(String username) {
        if (failures.size() >= MAX_TRACKED) {
            failures.values().removeIf(this::expired);
        }
        return failures.merge(
                        key(username),
                        new Failures(1, clock.instant()),
                        (old, one) -> expired(old) ? one : new Failures(old.count() + 1, one.lastFailure()))
                .count();
    }

    void recordSuccess(String username) {
        failures.remove(key(username));
    }

    private boolean expired(Failures entry) {
        return entry.lastFailure().plus(LOCK).isBefore(clock.instant());
    }

    private static String key(String username) {
        return username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
    }
}
