package org.kvmportal.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Wall-clock samples of one measured operation, in nanoseconds; medians and nearest-rank percentiles. */
public final class Samples {

    private final String name;
    private final List<Long> nanos = new ArrayList<>();

    public Samples(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public void add(long elapsedNanos) {
        nanos.add(elapsedNanos);
    }

    public int count() {
        return nanos.size();
    }

    public double medianMs() {
        return percentileMs(50);
    }

    public double p95Ms() {
        return percentileMs(95);
    }

    public double minMs() {
        return percentileMs(0);
    }

    public double maxMs() {
        return percentileMs(100);
    }

    /** Nearest-rank percentile: the smallest sample with at least {@code p} % of the samples at or below it. */
    public double percentileMs(double p) {
        if (nanos.isEmpty()) {
            throw new IllegalStateException("No samples of " + name);
        }
        var sorted = nanos.stream().sorted().toList();
        int rank = (int) Math.ceil(p / 100 * sorted.size());
        return sorted.get(Math.clamp(rank - 1, 0, sorted.size() - 1)) / 1e6;
    }

    /** One line: {@code name  median  p95  min  max  n}. */
    public String row() {
        return String.format(
                Locale.ROOT,
                "| %-52s | %9.2f | %9.2f | %9.2f | %9.2f | %4d |",
                name,
                medianMs(),
                p95Ms(),
                minMs(),
                maxMs(),
                count());
    }

    public static String header() {
        return String.format(
                        Locale.ROOT,
                        "| %-52s | %9s | %9s | %9s | %9s | %4s |",
                        "operation (ms)",
                        "median",
                        "p95",
                        "min",
                        "max",
                        "n")
                + "\n|" + "-".repeat(54) + "|" + "-----------|".repeat(4) + "------|";
    }
}
