package io.proxplane.edge;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;

/**
 * The agent's few metrics, written in the Prometheus text format by hand: a dozen series do not
 * justify a metrics library and a registry adapter.
 */
public final class AgentMetrics {

    /** count + sum (a Prometheus summary without quantiles) plus the most recent value. */
    static final class Timer {
        private final LongAdder count = new LongAdder();
        private final LongAdder sumNanos = new LongAdder();
        private final AtomicLong lastNanos = new AtomicLong();

        void record(long nanos) {
            count.increment();
            sumNanos.add(nanos);
            lastNanos.set(nanos);
        }

        long count() {
            return count.sum();
        }
    }

    private final Map<String, LongAdder> applies = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> reloads = new ConcurrentHashMap<>();
    final Timer render = new Timer();
    final Timer validate = new Timer();
    final Timer reload = new Timer();
    final Timer apply = new Timer();
    final Timer commitToApply = new Timer();
    private final AtomicLong lastAppliedRevision = new AtomicLong(-1);
    private volatile DoubleSupplier feedConnected = () -> 0;
    private volatile DoubleSupplier lastApplyOk = () -> 0;
    private volatile java.util.List<Skipped> skipped = java.util.List.of();
    private final Map<String, LongAdder> processRestarts = new ConcurrentHashMap<>();

    /** result: applied, unchanged or failed. */
    void countApply(String result) {
        applies.computeIfAbsent(result, k -> new LongAdder()).increment();
    }

    /** target: nginx or dnsmasq. */
    void countReload(String target) {
        reloads.computeIfAbsent(target, k -> new LongAdder()).increment();
    }

    /** Objects the served configuration leaves out. */
    void skipped(java.util.List<Skipped> objects) {
        this.skipped = java.util.List.copyOf(objects);
    }

    /** target: nginx or dnsmasq, found dead and started again by the agent. */
    void countProcessRestart(String target) {
        processRestarts.computeIfAbsent(target, k -> new LongAdder()).increment();
    }

    public long processRestarts(String target) {
        LongAdder a = processRestarts.get(target);
        return a == null ? 0 : a.sum();
    }

    public long applies(String result) {
        LongAdder a = applies.get(result);
        return a == null ? 0 : a.sum();
    }

    public long reloads(String target) {
        LongAdder a = reloads.get(target);
        return a == null ? 0 : a.sum();
    }

    void lastAppliedRevision(long revision) {
        lastAppliedRevision.set(revision);
    }

    void gauges(DoubleSupplier feedConnected, DoubleSupplier lastApplyOk) {
        this.feedConnected = feedConnected;
        this.lastApplyOk = lastApplyOk;
    }

    public String scrape() {
        StringBuilder out = new StringBuilder(2048);
        out.append("# HELP proxplane_edge_applies_total Apply cycles by result (applied, unchanged, failed).\n");
        out.append("# TYPE proxplane_edge_applies_total counter\n");
        for (String result : new String[] {"applied", "unchanged", "failed"}) {
            out.append("proxplane_edge_applies_total{result=\"").append(result).append("\"} ").append(applies(result)).append('\n');
        }
        out.append("# HELP proxplane_edge_reloads_total Reloads or restarts of the served processes.\n");
        out.append("# TYPE proxplane_edge_reloads_total counter\n");
        for (String target : new String[] {"nginx", "dnsmasq"}) {
            out.append("proxplane_edge_reloads_total{target=\"").append(target).append("\"} ").append(reloads(target)).append('\n');
        }
        out.append("# HELP proxplane_edge_process_restarts_total nginx or dnsmasq found dead and started again by the agent.\n");
        out.append("# TYPE proxplane_edge_process_restarts_total counter\n");
        for (String target : new String[] {"nginx", "dnsmasq"}) {
            out.append("proxplane_edge_process_restarts_total{target=\"").append(target).append("\"} ")
                    .append(processRestarts(target)).append('\n');
        }
        java.util.List<Skipped> left = skipped;
        gauge(out, "proxplane_edge_skipped_objects", "Registry objects the served configuration leaves out (see the agent's status).",
                left.size());
        out.append("# HELP proxplane_edge_skipped_object 1 for each object the served configuration leaves out.\n");
        out.append("# TYPE proxplane_edge_skipped_object gauge\n");
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Skipped k : left) {
            String series = "proxplane_edge_skipped_object{kind=\"" + label(k.kind()) + "\",name=\"" + label(k.name()) + "\"} 1\n";
            if (seen.add(series)) {
                out.append(series);
            }
        }
        gauge(out, "proxplane_edge_last_applied_revision", "Registry revision the served configuration reflects.",
                lastAppliedRevision.get());
        gauge(out, "proxplane_edge_last_apply_success", "1 when the last apply succeeded.", lastApplyOk.getAsDouble());
        gauge(out, "proxplane_edge_feed_connected", "1 while the change feed is listening.", feedConnected.getAsDouble());
        summary(out, "proxplane_edge_render_seconds", "Registry read, mapping and rendering.", render);
        summary(out, "proxplane_edge_validate_seconds", "nginx -t and dnsmasq --test.", validate);
        summary(out, "proxplane_edge_reload_seconds", "Signalling or restarting nginx and dnsmasq.", reload);
        summary(out, "proxplane_edge_apply_seconds", "Whole apply cycles.", apply);
        summary(out, "proxplane_edge_commit_to_apply_seconds",
                "From the first change notification to the end of the apply that covers it.", commitToApply);
        return out.toString();
    }

    /** A label value in the text format: backslash, quote and line feed escaped. */
    static String label(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static void gauge(StringBuilder out, String name, String help, double value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n");
        out.append(name).append(' ').append(format(value)).append('\n');
    }

    private static void summary(StringBuilder out, String name, String help, Timer timer) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" summary\n");
        out.append(name).append("_count ").append(timer.count.sum()).append('\n');
        out.append(name).append("_sum ").append(format(timer.sumNanos.sum() / 1e9)).append('\n');
        out.append("# HELP ").append(name).append("_last The latest of: ").append(help).append('\n');
        out.append("# TYPE ").append(name).append("_last gauge\n");
        out.append(name).append("_last ").append(format(timer.lastNanos.get() / 1e9)).append('\n');
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6f", v);
    }
}
