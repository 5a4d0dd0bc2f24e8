package org.kvmportal.vm.ui;

import com.vaadin.flow.component.Html;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * A small time-series chart drawn on the server as SVG: no chart library, nothing commercial, nothing for
 * the browser to download. The SVG holds only numbers we computed; the title and value are plain text nodes
 * outside it, so nothing from libvirt is ever parsed as markup.
 */
final class LineChart extends Div {

    private static final int WIDTH = 300;
    private static final int HEIGHT = 80;

    /** One line: its values and a CSS class for its colour. */
    record Series(String cssClass, List<Double> values) {}

    private final Span value = new Span();
    private final Div plot = new Div();
    private final DoubleFunction<String> format;

    LineChart(String title, DoubleFunction<String> format) {
        this.format = format;
        addClassName("line-chart");
        var heading = new Span(title);
        heading.addClassName("line-chart-title");
        value.addClassName("line-chart-value");
        add(heading, value, plot);
    }

    /** Redraws the chart for samples taken at {@code times} across {@code window}, ending now. */
    void show(List<Instant> times, Duration window, Instant now, List<Series> series) {
        double max = series.stream()
                .flatMap(s -> s.values().stream())
                .mapToDouble(Double::doubleValue)
                .max()
                .orElse(0);
        double top = max <= 0 ? 1 : max * 1.1;
        var svg = new StringBuilder("<div><svg viewBox=\"0 0 " + WIDTH + " " + HEIGHT
                + "\" preserveAspectRatio=\"none\" role=\"img\" aria-hidden=\"true\">");
        for (var line : series) {
            svg.append("<polyline class=\"").append(line.cssClass()).append("\" fill=\"none\" points=\"");
            for (int i = 0; i < times.size(); i++) {
                double x = WIDTH - Duration.between(times.get(i), now).toMillis() * (double) WIDTH / window.toMillis();
                double y = HEIGHT - line.values().get(i) / top * HEIGHT;
                svg.append(String.format(Locale.ROOT, "%.1f,%.1f ", Math.max(0, x), y));
            }
            svg.append("\"/>");
        }
        svg.append("</svg></div>");
        plot.removeAll();
        plot.add(new Html(svg.toString()));
        value.setText(
                series.isEmpty() || series.getFirst().values().isEmpty()
                        ? "no data"
                        : series.stream()
                                .map(s -> format.apply(s.values().getLast()))
                                .reduce((a, b) -> a + " / " + b)
                                .orElse(""));
    }
}
