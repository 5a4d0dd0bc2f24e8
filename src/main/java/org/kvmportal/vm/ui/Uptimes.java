package org.kvmportal.vm.ui;

import java.time.Duration;
import java.time.Instant;
import org.kvmportal.hypervisor.DomainSummary;

/** How long a VM has been up, as people read it, to the minute. */
final class Uptimes {

    /** Running, but since when is unknown (it was already running when the portal connected). */
    static final String UNKNOWN = "—";

    private Uptimes() {}

    /** Empty for a VM that is not up, {@link #UNKNOWN} where the start was not seen. */
    static String of(DomainSummary vm, Instant now) {
        if (!vm.state().isActive()) {
            return "";
        }
        return vm.uptime(now).map(Uptimes::format).orElse(UNKNOWN);
    }

    static String format(Duration uptime) {
        long minutes = uptime.toMinutes();
        if (minutes < 1) {
            return "< 1 min";
        }
        if (minutes < 60) {
            return minutes + " min";
        }
        if (minutes < 24 * 60) {
            return minutes / 60 + " h " + minutes % 60 + " min";
        }
        return minutes / (24 * 60) + " d " + minutes / 60 % 24 + " h";
    }
}
