package org.kvmportal.benchmark.console;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time and memory of a process as the kernel counts them ({@code /proc/<pid>/stat}, user plus system
 * time): the same source for the portal's JVM and for websockify, so their figures compare.
 *
 * <p>websockify forks one process per connection, so its figures are taken over the whole tree: the live
 * children's own time, and the time of the children it has already reaped (cutime, cstime). The portal's JVM
 * is measured alone, because the load generator is its child.
 */
public final class ProcessCpu {

    /** USER_HZ: the unit of /proc's times; 100 on every Linux that matters here. */
    private static final long TICKS_PER_SECOND = 100;

    private ProcessCpu() {}

    /** This process's own CPU time in milliseconds. */
    public static long ownMillis(long pid) {
        long[] times = times(pid);
        return (times[0] + times[1]) * 1000 / TICKS_PER_SECOND;
    }

    /** CPU time of the process and all its children, live or reaped, in milliseconds. */
    public static long treeMillis(long pid) {
        long ticks = tree(pid)
                .mapToLong(p -> {
                    long[] t = times(p);
                    return t[0] + t[1] + t[2] + t[3];
                })
                .sum();
        return ticks * 1000 / TICKS_PER_SECOND;
    }

    /**
     * Proportional set size of the process and its live children, in KiB: pages shared between forked
     * children count once in all, split among them.
     */
    public static long treePssKiB(long pid) {
        return tree(pid).mapToLong(ProcessCpu::pssKiB).sum();
    }

    private static Stream<Long> tree(long pid) {
        return Stream.concat(
                Stream.of(pid),
                ProcessHandle.of(pid).stream()
                        .flatMap(ProcessHandle::descendants)
                        .map(ProcessHandle::pid));
    }

    /** utime, stime, cutime, cstime in ticks; zeros for a process that has just gone. */
    private static long[] times(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Field 2, the command name, may hold spaces: count fields from the ')' that ends it.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {
                Long.parseLong(fields[11]),
                Long.parseLong(fields[12]),
                Long.parseLong(fields[13]),
                Long.parseLong(fields[14])
            };
        } catch (IOException e) {
            return new long[4];
        }
    }

    private static long pssKiB(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup")).stream()
                    .filter(line -> line.startsWith("Pss:"))
                    .mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))
                    .sum();
        } catch (IOException e) {
            return 0;
        }
    }
}
