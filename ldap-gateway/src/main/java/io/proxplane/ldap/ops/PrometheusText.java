package io.proxplane.ldap.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** Renders a micrometer registry in the Prometheus text exposition format (version 0.0.4). */
public final class PrometheusText {
    private PrometheusText() {
    }

    public static String render(MeterRegistry registry) {
        TreeMap<String, StringBuilder> families = new TreeMap<>();
        List<Meter> meters = registry.getMeters().stream()
                .sorted(Comparator.comparing((Meter m) -> m.getId().getName()).thenComparing(m -> m.getId().getTags().toString()))
                .toList();
        for (Meter m : meters) {
            String base = "proxplane_" + sanitize(m.getId().getName());
            String labels = labels(m.getId().getTags());
            switch (m) {
                case Counter c -> family(families, base + "_total", "counter").append(base).append("_total").append(labels)
                        .append(' ').append(number(c.count())).append('\n');
                case FunctionCounter c -> family(families, base + "_total", "counter").append(base).append("_total")
                        .append(labels).append(' ').append(number(c.count())).append('\n');
                case Gauge g -> family(families, base, "gauge").append(base).append(labels).append(' ')
                        .append(number(g.value())).append('\n');
                case Timer t -> {
                    String name = base.endsWith("_duration") ? base + "_seconds" : base + "_seconds";
                    StringBuilder sb = family(families, name, "summary");
                    sb.append(name).append("_count").append(labels).append(' ').append(t.count()).append('\n');
                    sb.append(name).append("_sum").append(labels).append(' ').append(number(t.totalTime(TimeUnit.SECONDS))).append('\n');
                    StringBuilder max = family(families, name + "_max", "gauge");
                    max.append(name).append("_max").append(labels).append(' ').append(number(t.max(TimeUnit.SECONDS))).append('\n');
                }
                default -> {
                }
            }
        }
        StringBuilder out = new StringBuilder();
        families.values().forEach(out::append);
        return out.toString();
    }

    private static StringBuilder family(TreeMap<String, StringBuilder> families, String name, String type) {
        return families.computeIfAbsent(name, n -> new StringBuilder("# TYPE ").append(n).append(' ').append(type).append('\n'));
    }

    private static String labels(List<Tag> tags) {
        if (tags.isEmpty()) return "";
        StringBuilder sb = new StringBuilder("{");
        for (Tag t : tags) {
            if (sb.length() > 1) sb.append(',');
            sb.append(sanitize(t.getKey())).append("=\"")
                    .append(t.getValue().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
        }
        return sb.append('}').toString();
    }

    static String sanitize(String name) {
        return name.replaceAll("[^a-zA-Z0-9_]", "_").toLowerCase(Locale.ROOT);
    }

    private static String number(double d) {
        if (Double.isNaN(d)) return "NaN";
        if (Double.isInfinite(d)) return d > 0 ? "+Inf" : "-Inf";
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
