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

    /**
     * HELP text per meter name (the meters are registered in many places with the short
     * {@code registry.counter(name)} form, which takes no description). A meter's own
     * description wins; promtool's lint wants one for every family.
     */
    static final java.util.Map<String, String> HELP = java.util.Map.ofEntries(
            java.util.Map.entry("ldap.connections.opened", "LDAP connections accepted"),
            java.util.Map.entry("ldap.connections.closed", "LDAP connections closed"),
            java.util.Map.entry("ldap.search.duration", "time to answer a search, by result"),
            java.util.Map.entry("ldap.search.entries", "entries returned by searches"),
            java.util.Map.entry("ldap.starttls", "StartTLS upgrades"),
            java.util.Map.entry("ldap.password.changes", "passwords changed through the Password Modify operation"),
            java.util.Map.entry("ldap.bind.duration", "time to answer a bind (password check and any push), by outcome"),
            java.util.Map.entry("ldap.binds", "binds by outcome"),
            java.util.Map.entry("ldap.audit.dropped", "bind audit records dropped because the registry could not take them"),
            java.util.Map.entry("ldap.snapshot.load.duration", "time to load a directory snapshot from the source"),
            java.util.Map.entry("ldap.snapshot.staleness.seconds", "seconds since the snapshot stopped following the source (0 while it follows)"),
            java.util.Map.entry("ldap.snapshot.age.seconds", "seconds since the served snapshot was loaded"),
            java.util.Map.entry("ldap.snapshot.users", "users in the served snapshot"),
            java.util.Map.entry("ldap.snapshot.groups", "groups in the served snapshot"),
            java.util.Map.entry("ldap.snapshot.generation", "generation number of the served snapshot"),
            java.util.Map.entry("ldap.snapshot.load.failures", "failed snapshot loads since start"),
            java.util.Map.entry("ldap.snapshot.from.disk", "1 while the served directory is the snapshot saved on disk (the registry has not answered since start)"),
            java.util.Map.entry("ldap.snapshot.stale", "1 while the staleness is over the configured maximum (the replica stays ready)"),
            java.util.Map.entry("ldap.audit.backlog", "bind audit records waiting to be written to the registry"),
            java.util.Map.entry("ldap.connections.open", "LDAP connections open now"),
            java.util.Map.entry("ldap.connections.refused", "LDAP connections turned away by the connection caps"),
            java.util.Map.entry("ldap.requests.refused", "requests refused before decoding (too complex filters, long DNs, long passwords)"));

    public static String render(MeterRegistry registry) {
        TreeMap<String, StringBuilder> families = new TreeMap<>();
        List<Meter> meters = registry.getMeters().stream()
                .sorted(Comparator.comparing((Meter m) -> m.getId().getName()).thenComparing(m -> m.getId().getTags().toString()))
                .toList();
        for (Meter m : meters) {
            String base = "proxplane_" + sanitize(m.getId().getName());
            String help = m.getId().getDescription() != null ? m.getId().getDescription()
                    : HELP.getOrDefault(m.getId().getName(), "LDAP gateway meter " + m.getId().getName());
            String labels = labels(m.getId().getTags());
            switch (m) {
                case Counter c -> family(families, base + "_total", "counter", help).append(base).append("_total").append(labels)
                        .append(' ').append(number(c.count())).append('\n');
                case FunctionCounter c -> family(families, base + "_total", "counter", help).append(base).append("_total")
                        .append(labels).append(' ').append(number(c.count())).append('\n');
                case Gauge g -> family(families, base, "gauge", help).append(base).append(labels).append(' ')
                        .append(number(g.value())).append('\n');
                case Timer t -> {
                    String name = base.endsWith("_duration") ? base + "_seconds" : base + "_seconds";
                    StringBuilder sb = family(families, name, "summary", help);
                    sb.append(name).append("_count").append(labels).append(' ').append(t.count()).append('\n');
                    sb.append(name).append("_sum").append(labels).append(' ').append(number(t.totalTime(TimeUnit.SECONDS))).append('\n');
                    StringBuilder max = family(families, name + "_max", "gauge", "largest of: " + help + " (recent window)");
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

    private static StringBuilder family(TreeMap<String, StringBuilder> families, String name, String type, String help) {
        return families.computeIfAbsent(name, n -> new StringBuilder("# HELP ").append(n).append(' ')
                .append(help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n')
                .append("# TYPE ").append(n).append(' ').append(type).append('\n'));
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
