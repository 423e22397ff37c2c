package io.proxplane.core.registry;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes containers into one pool from several threads and reports each outcome on one line:
 * {@code ok <name>} or {@code quota <name> <message>}. Used in-process by
 * {@link PoolQuotaConcurrencyTest} and as the main class of the second JVM it starts.
 *
 * <p>The work is bounded (threads x perThread upserts, each with the registry's bounded retries), so
 * the child ends on its own; it also ends when its stdin closes, i.e. when the parent is gone.
 */
public final class QuotaWorker {
    static final Resources SIZE = new Resources(1, 256, 0, 2);

    private QuotaWorker() {}

    /** args: jdbcUrl user siteId poolId prefix threads perThread */
    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[5]);
        RegistryConfig config = new RegistryConfig(args[0], args[1], null, threads + 1, null, null);
        try (Registry registry = Registry.open(config)) {
            registry.pools().list(); // the connection pool is warm before "go"
            System.out.println("ready");
            System.out.flush();
            String go = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (!"go".equals(go)) {
                // The parent went away (stdin closed) or said something else: do no work.
                System.out.println("aborted " + go);
                return;
            }
            List<String> lines = run(registry, Long.parseLong(args[2]), Long.parseLong(args[3]), args[4], threads,
                    Integer.parseInt(args[6]), new CountDownLatch(0));
            lines.forEach(System.out::println);
            System.out.println("done");
        }
    }

    static List<String> run(Registry registry, long siteId, long poolId, String prefix, int threads, int perThread,
                            CountDownLatch start) throws Exception {
        List<String> out = Collections.synchronizedList(new ArrayList<>());
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(executor.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        String name = prefix + "-" + thread + "-" + i;
                        try {
                            registry.containers().upsert("k8s:quota/" + name, new ContainerSpec(siteId, name, name, null,
                                    "docker.io/library/debian:12", SIZE, "alice", poolId, "running"));
                            out.add("ok " + name);
                        } catch (PoolQuotaExceededException e) {
                            out.add("quota " + name + " " + e.getMessage());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            executor.shutdownNow();
        }
        return out;
    }
}
