package org.kvmportal.vm.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.kvmportal.vm.VmSample;

/** The last five minutes of CPU, memory, disk and network, redrawn whenever a new sample arrives. */
final class PerformancePanel extends Div {

    private static final Duration WINDOW = Duration.ofMinutes(5);

    private final Paragraph empty = new Paragraph("No samples yet: statistics are collected while the VM runs.");
    private final LineChart cpu = new LineChart("CPU", v -> String.format(Locale.ROOT, "%.1f %%", v));
    private final LineChart memory = new LineChart("Memory used", v -> Sizes.memory((long) v));
    private final LineChart disk = new LineChart("Disk read / write", PerformancePanel::rate);
    private final LineChart network = new LineChart("Network receive / send", PerformancePanel::rate);

    PerformancePanel() {
        addClassName("performance");
        setId("performance");
        add(empty, cpu, memory, disk, network);
    }

    void show(List<VmSample> samples) {
        empty.setVisible(samples.isEmpty());
        var times = samples.stream().map(VmSample::time).toList();
        var now = Instant.now();
        cpu.show(times, WINDOW, now, List.of(series("primary", samples, VmSample::cpuPercent)));
        memory.show(times, WINDOW, now, List.of(series("primary", samples, s -> s.memoryUsedKiB())));
        disk.show(
                times,
                WINDOW,
                now,
                List.of(
                        series("primary", samples, VmSample::diskReadBytesPerSecond),
                        series("secondary", samples, VmSample::diskWriteBytesPerSecond)));
        network.show(
                times,
                WINDOW,
                now,
                List.of(
                        series("primary", samples, VmSample::netRxBytesPerSecond),
                        series("secondary", samples, VmSample::netTxBytesPerSecond)));
    }

    private static LineChart.Series series(String css, List<VmSample> samples, ToDoubleFunction<VmSample> value) {
        return new LineChart.Series(
                css, samples.stream().map(value::applyAsDouble).toList());
    }

    private static String rate(double bytesPerSecond) {
        if (bytesPerSecond >= 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB/s", bytesPerSecond / (1024 * 1024));
        }
        return String.format(Locale.ROOT, "%.1f KiB/s", bytesPerSecond / 1024);
    }
}
