package org.kvmportal.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The live heap of this JVM, as {@code jcmd <pid> GC.class_histogram} reports it: that command runs a full
 * GC first and then counts only reachable objects, per class. Taken through the DiagnosticCommand MBean, so
 * it works from inside the JVM under test, without jcmd or attach.
 *
 * <p>Each histogram goes to a file under target/benchmark and only its total stays in memory: a parsed
 * histogram held while the next one is taken would be counted in it.
 */
public final class LiveHeap {

    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*$");
    private static final Pattern TOTAL = Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+)\\s*$");

    /** A histogram on disk and its total of live bytes. */
    public record Snapshot(long totalBytes, Path file) {

        public double totalMiB() {
            return totalBytes / 1024.0 / 1024.0;
        }

        public Histogram load() {
            try {
                return parse(Files.readString(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Instances and bytes of one class. */
    public record Entry(long instances, long bytes) {}

    /** A parsed histogram: each class's live instances and bytes. */
    public record Histogram(long totalBytes, Map<String, Entry> classes) {

        public long instancesOf(String className) {
            var entry = classes.get(className);
            return entry == null ? 0 : entry.instances();
        }

        public long bytesOf(String className) {
            var entry = classes.get(className);
            return entry == null ? 0 : entry.bytes();
        }

        /** The classes whose live bytes grew most from {@code before}, as table rows with bytes per {@code n}. */
        public List<String> topGrowth(Histogram before, int limit, int n) {
            return classes.keySet().stream()
                    .map(name -> Map.entry(
                            name,
                            new Entry(
                                    instancesOf(name) - before.instancesOf(name),
                                    bytesOf(name) - before.bytesOf(name))))
                    .sorted(Comparator.comparingLong(
                                    (Map.Entry<String, Entry> e) -> e.getValue().bytes())
                            .reversed())
                    .limit(limit)
                    .map(e -> row(e.getKey(), e.getValue(), n))
                    .toList();
        }

        /** One table row: all classes whose name contains {@code part}, added up. */
        public String rowOf(String part, Histogram before, int n) {
            long instances = 0;
            long bytes = 0;
            for (var name : classes.keySet()) {
                if (name.contains(part)) {
                    instances += instancesOf(name);
                    bytes += bytesOf(name);
                }
            }
            for (var name : before.classes().keySet()) {
                if (name.contains(part)) {
                    instances -= before.instancesOf(name);
                    bytes -= before.bytesOf(name);
                }
            }
            return row(part + "*", new Entry(instances, bytes), n);
        }

        public static String header(int n) {
            return String.format(
                            Locale.ROOT, "| %-72s | %10s | %12s | %9s |", "class", "instances", "bytes", "KB / " + n)
                    + "\n|" + "-".repeat(74) + "|------------|--------------|-----------|";
        }

        private static String row(String name, Entry growth, int n) {
            return String.format(
                    Locale.ROOT,
                    "| %-72s | %+10d | %+12d | %+9.1f |",
                    name.length() > 72 ? "…" + name.substring(name.length() - 71) : name,
                    growth.instances(),
                    growth.bytes(),
                    growth.bytes() / 1024.0 / n);
        }
    }

    private LiveHeap() {}

    /**
     * The smallest of {@code times} histograms taken back to back, kept as {@code target/benchmark/heap-<label>.txt}:
     * background work (a request in flight) only ever adds transient objects, so the minimum is the closest
     * to the steady live set.
     */
    public static Snapshot measure(String label, int times) {
        var file = BenchmarkReport.directory().resolve("heap-" + label + ".txt");
        long best = Long.MAX_VALUE;
        for (int i = 0; i < times; i++) {
            String text = histogramText();
            long total = total(text);
            if (total < best) {
                best = total;
                try {
                    Files.writeString(file, text);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return new Snapshot(best, file);
    }

    private static String histogramText() {
        try {
            return (String) ManagementFactory.getPlatformMBeanServer()
                    .invoke(
                            new ObjectName("com.sun.management:type=DiagnosticCommand"),
                            "gcClassHistogram",
                            new Object[] {new String[0]},
                            new String[] {String[].class.getName()});
        } catch (JMException e) {
            throw new IllegalStateException("Could not take a class histogram", e);
        }
    }

    /**
     * The histogram's total, less G1's filler objects ({@code jdk.internal.vm.FillerElement[]},
     * {@code FillerObject}): they pad unused space in heap regions and are no one's data.
     */
    private static long total(String text) {
        long fillers = 0;
        for (String line : text.split("\n")) {
            var row = ROW.matcher(line);
            if (row.matches() && row.group(3).contains("jdk.internal.vm.Filler")) {
                fillers += Long.parseLong(row.group(2));
            }
            var total = TOTAL.matcher(line.strip());
            if (total.matches()) {
                return Long.parseLong(total.group(2)) - fillers;
            }
        }
        throw new IllegalStateException(
                "No total in the class histogram:\n" + text.lines().limit(20).toList());
    }

    /**
     * A heap dump of the live objects to {@code target/benchmark/<name>.hprof}, for a heap analyser (Eclipse
     * MAT, VisualVM): the histogram says which classes grew, a dump says who holds them.
     */
    public static Path dump(String name) {
        var file = BenchmarkReport.directory().resolve(name + ".hprof");
        try {
            Files.deleteIfExists(file);
            ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .dumpHeap(file.toString(), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    static Histogram parse(String text) {
        var classes = new HashMap<String, Entry>();
        for (String line : text.split("\n")) {
            var row = ROW.matcher(line);
            if (row.matches()) {
                classes.merge(
                        row.group(3),
                        new Entry(Long.parseLong(row.group(1)), Long.parseLong(row.group(2))),
                        (a, b) -> new Entry(a.instances() + b.instances(), a.bytes() + b.bytes()));
            }
        }
        return new Histogram(total(text), Map.copyOf(classes));
    }
}
