package io.proxplane.terraform;

import java.util.ArrayList;
import java.util.List;

/**
 * Start-up timestamps for tuning launch → handshake ({@code PROXPLANE_TF_TRACE=1}): each step's
 * time since JVM start, printed to stderr once the handshake line is out. Off by default, and
 * then it costs one volatile read per mark.
 */
public final class StartupTrace {

    private static final boolean ON = "1".equals(System.getenv("PROXPLANE_TF_TRACE"));
    private static final List<String> NAMES = new ArrayList<>();
    private static final List<Long> NANOS = new ArrayList<>();

    private StartupTrace() {
    }

    public static void mark(String step) {
        if (ON) {
            long now = System.nanoTime();
            synchronized (NAMES) {
                NAMES.add(step + " [" + Thread.currentThread().getName() + "]");
                NANOS.add(now);
            }
        }
    }

    /** Prints the marks relative to JVM start (read only now, so it does not cost the launch). */
    public static void print() {
        if (!ON) {
            return;
        }
        long nowNanos = System.nanoTime();
        long uptimeMs = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
        synchronized (NAMES) {
            StringBuilder out = new StringBuilder("proxplane start-up trace (ms since JVM start):\n");
            for (int i = 0; i < NAMES.size(); i++) {
                long ms = uptimeMs - (nowNanos - NANOS.get(i)) / 1_000_000;
                out.append(String.format(java.util.Locale.ROOT, "%6d  %s%n", ms, NAMES.get(i)));
            }
            System.err.print(out);
        }
    }
}
