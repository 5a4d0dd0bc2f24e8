package org.kvmportal.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Locale;

/**
 * Where a benchmark's figures go: standard output, and {@code target/benchmark/<name>.md}, which
 * {@code scripts/benchmark.sh} prints as the summary. Each report starts with the time and the machine's
 * load, since the figures mean little on a busy machine.
 */
public final class BenchmarkReport {

    private final Path file;

    public BenchmarkReport(String name) {
        this.file = directory().resolve(name + ".md");
        try {
            Files.writeString(file, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        line("## " + name + " (" + Instant.now() + ")");
        line("");
        line("JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, max heap "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
        loadAverage("at start");
    }

    /** {@code target/benchmark} of the project the benchmark runs in. */
    public static Path directory() {
        var directory = Path.of(System.getProperty("basedir", "."), "target", "benchmark");
        try {
            return Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The 1-minute load average: above ~1 on this 2-core machine means something else competed for the CPU. */
    public void loadAverage(String when) {
        line(String.format(
                Locale.ROOT,
                "Load average (1 min) %s: %.2f",
                when,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
    }

    public void line(String text) {
        System.out.println(text);
        try {
            Files.writeString(file, text + "\n", StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void line(String format, Object... args) {
        line(String.format(Locale.ROOT, format, args));
    }
}
