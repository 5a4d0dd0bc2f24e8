package org.kvmportal.vm;

import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.kvmportal.base.Listeners;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.DomainStats;
import org.kvmportal.hypervisor.HostState;
import org.kvmportal.hypervisor.HostStatus;
import org.kvmportal.hypervisor.Hypervisor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Live performance of every running VM: one bulk-stats call per host per interval, whoever is watching, and
 * the last five minutes kept for graphs. Views subscribe to hear when a new round of samples is in.
 */
@Component
public class VmMetrics {

    static final Duration HISTORY = Duration.ofMinutes(5);

    private static final Logger log = LoggerFactory.getLogger(VmMetrics.class);

    /** The counters of one reading, kept to compute rates from the next one. */
    private record Reading(
            long nanos, long cpuTimeNs, int vcpus, long diskRead, long diskWrite, long netRx, long netTx) {}

    private final Hypervisor hypervisor;
    private final Clock clock = Clock.systemUTC();
    private final int historySize;
    private final Map<DomainRef, Reading> lastReadings = new ConcurrentHashMap<>();
    private final Map<DomainRef, ArrayDeque<VmSample>> histories = new ConcurrentHashMap<>();
    private final Set<String> hostsInFlight = ConcurrentHashMap.newKeySet();
    private final Listeners listeners = new Listeners();
    private final ScheduledExecutorService scheduler;

    VmMetrics(Hypervisor hypervisor, @Value("${kvmportal.metrics.interval:2500ms}") Duration interval) {
        this.hypervisor = hypervisor;
        this.historySize = (int) (HISTORY.toMillis() / interval.toMillis());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            var thread = new Thread(runnable, "vm-metrics");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @return call it to stop listening */
    public Runnable subscribe(Runnable onSamples) {
        return listeners.subscribe(onSamples);
    }

    Optional<VmSample> latest(DomainRef ref) {
        var history = histories.get(ref);
        if (history == null) {
            return Optional.empty();
        }
        synchronized (history) {
            return Optional.ofNullable(history.peekLast());
        }
    }

    List<VmSample> history(DomainRef ref) {
        var history = histories.get(ref);
        if (history == null) {
            return List.of();
        }
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    private void poll() {
        for (HostStatus host : hypervisor.hosts()) {
            // A slow host must not pile up calls: skip it while its previous poll is still running.
            if (host.state() != HostState.CONNECTED || !hostsInFlight.add(host.name())) {
                continue;
            }
            hypervisor.bulkStats(host.name()).whenComplete((stats, error) -> {
                hostsInFlight.remove(host.name());
                if (error != null) {
                    log.debug("Statistics of host {} not read: {}", host.name(), error.getMessage());
                    return;
                }
                // Views redraw on every notification: only worth it when there is something new to show.
                if (ingest(host.name(), stats, System.nanoTime()) > 0) {
                    listeners.notifyListeners();
                }
            });
        }
    }

    /** @return how many new samples were recorded */
    private int ingest(String host, List<DomainStats> stats, long nanos) {
        int samples = 0;
        var seen = new HashSet<DomainRef>();
        for (DomainStats record : stats) {
            seen.add(record.ref());
            if (record.longValue("cpu.time", -1) < 0) {
                lastReadings.remove(record.ref()); // not running: no counters, and the next start restarts them
                continue;
            }
            var reading = read(record, nanos);
            var previous = lastReadings.put(record.ref(), reading);
            if (previous != null && reading.nanos() > previous.nanos()) {
                append(record.ref(), sample(previous, reading, record));
                samples++;
            }
        }
        lastReadings.keySet().removeIf(ref -> ref.host().equals(host) && !seen.contains(ref));
        histories.keySet().removeIf(ref -> ref.host().equals(host) && !seen.contains(ref));
        return samples;
    }

    private void append(DomainRef ref, VmSample sample) {
        var history = histories.computeIfAbsent(ref, key -> new ArrayDeque<>(historySize));
        synchronized (history) {
            if (history.size() == historySize) {
                history.removeFirst();
            }
            history.addLast(sample);
        }
    }

    private static Reading read(DomainStats record, long nanos) {
        return new Reading(
                nanos,
                record.longValue("cpu.time", 0),
                (int) Math.max(1, record.longValue("vcpu.current", 1)),
                sum(record, "block", "rd.bytes"),
                sum(record, "block", "wr.bytes"),
                sum(record, "net", "rx.bytes"),
                sum(record, "net", "tx.bytes"));
    }

    private VmSample sample(Reading before, Reading now, DomainStats record) {
        double seconds = (now.nanos() - before.nanos()) / 1e9;
        double cpu = (now.cpuTimeNs() - before.cpuTimeNs()) / (seconds * 1e9 * now.vcpus()) * 100;
        long memory = record.longValue("balloon.rss", record.longValue("balloon.current", 0));
        return new VmSample(
                clock.instant(),
                Math.clamp(cpu, 0, 100),
                memory,
                rate(before.diskRead(), now.diskRead(), seconds),
                rate(before.diskWrite(), now.diskWrite(), seconds),
                rate(before.netRx(), now.netRx(), seconds),
                rate(before.netTx(), now.netTx(), seconds));
    }

    /** Counters reset when a device is unplugged or the guest restarts: a negative delta counts as zero. */
    private static double rate(long before, long now, double seconds) {
        return Math.max(0, now - before) / seconds;
    }

    /** Adds up a counter over all devices of a group, e.g. {@code block.0.rd.bytes + block.1.rd.bytes}. */
    private static long sum(DomainStats record, String group, String counter) {
        long count = record.longValue(group + ".count", 0);
        long total = 0;
        for (int i = 0; i < count; i++) {
            total += Math.max(0, record.longValue(group + "." + i + "." + counter, 0));
        }
        return total;
    }

    @PreDestroy
    void stop() {
        scheduler.shutdownNow();
    }
}
