package io.proxplane.bench;

import io.proxplane.core.engine.CredentialsResolver;
import io.proxplane.core.engine.Engine;
import io.proxplane.core.engine.EngineSettings;
import io.proxplane.core.engine.ProxmoxCredentials;
import io.proxplane.core.engine.SiteObservation;
import io.proxplane.core.engine.spec.ContainerServiceSpec;
import io.proxplane.core.engine.spec.ContainerSpec;
import io.proxplane.core.engine.spec.ExternalDomainSpec;
import io.proxplane.core.engine.spec.SiteSpec;
import io.proxplane.core.proxmox.ProxmoxClient;
import io.proxplane.core.proxmox.TlsTrust;
import io.proxplane.core.registry.RegistryConfig;
import io.proxplane.pvesim.PveSimulator;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Converges N containers (each with an HTTP and a TCP service) on a simulated 3-node cluster and
 * counts the Proxmox calls; then compares a steady-state bulk resync (one /cluster/resources read
 * per cluster) with per-container observation (one status request per container, the original
 * system's polling) at 50 and at 500 containers.
 * Args: [containers=500] [threads=4]. Needs PostgreSQL on 127.0.0.1:5432 (user postgres).
 */
public final class EngineBenchmark {
    static final String MANAGER = "k8s:bench/engine";
    static final String SITE = "bench";
    static final String TOKEN_ID = "root@pam!bench";
    static final String TOKEN_SECRET = "bench-secret";

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int small = Math.max(1, total / 10);
        String dbName = "proxplane_bench_" + System.nanoTime();
        admin("create database " + dbName);
        PveSimulator sim = PveSimulator.builder().port(0).nodes("pve1", "pve2", "pve3").apiToken(TOKEN_ID, TOKEN_SECRET)
                .taskDuration(Duration.ofMillis(20)).flockTimeout(Duration.ofSeconds(10)).resourcesLag(Duration.ZERO)
                .unauthorizedDelay(Duration.ZERO).build().start();
        CredentialsResolver creds = e -> new ProxmoxCredentials(TOKEN_ID, TOKEN_SECRET,
                TlsTrust.pinnedSha256(sim.certificateFingerprintSha256()));
        RegistryConfig config = RegistryConfig.of("jdbc:postgresql://127.0.0.1:5432/" + dbName, "postgres", null)
                .withMaxPoolSize(threads + 2);
        try (Engine engine = Engine.builder(config, creds).settings(EngineSettings.defaults())
                .taskPolling(Duration.ofMillis(10), Duration.ofMillis(50)).build()) {
            engine.sites().apply(MANAGER, new SiteSpec(SITE, "bench.internal", "10.64.0.0/16", "10.64.0.1", null, null,
                    List.of(), "vmbr0", List.of(new SiteSpec.ProxmoxEndpointSpec(sim.baseUrl(), null, "bench")),
                    SiteSpec.PlacementPolicy.LEAST_LOADED, Map.of()));
            engine.externalDomains().apply(MANAGER, new ExternalDomainSpec("apps.bench.example", SITE, Map.of(), null));
            ProxmoxClient client = engine.proxmoxClients().get(0);

            StringBuilder md = new StringBuilder();
            md.append("### Engine: converge and resync (").append(total).append(" containers, 3 simulated nodes, ")
                    .append(threads).append(" threads)\n\n");

            client.resetRequestCounts();
            long t0 = System.nanoTime();
            converge(engine, 0, small, threads);
            long tSmall = System.nanoTime() - t0;
            Map<String, Long> smallCalls = new TreeMap<>(client.requestCounts());
            Row resyncSmall = resync(engine, client);
            Row pollSmall = poll(engine, client, small);

            client.resetRequestCounts();
            long t1 = System.nanoTime();
            converge(engine, small, total, threads);
            long tRest = System.nanoTime() - t1;
            Map<String, Long> restCalls = new TreeMap<>(client.requestCounts());
            Row resyncBig = resync(engine, client);
            Row pollBig = poll(engine, client, total);
            client.resetRequestCounts();
            long t2 = System.nanoTime();
            converge(engine, 0, total, threads);
            long tReapply = System.nanoTime() - t2;
            long reapplyCalls = sum(client.requestCounts());

            long createCalls = sum(smallCalls) + sum(restCalls);
            double createMs = (tSmall + tRest) / 1e6;
            md.append("| measurement | containers | wall time | Proxmox calls | calls per container |\n|---|---:|---:|---:|---:|\n");
            md.append(row("converge from nothing (create + start + 2 services each)", total, createMs, createCalls));
            md.append(row("re-apply all specs, already converged (per-object reconcile)", total, tReapply / 1e6, reapplyCalls));
            md.append(row("steady-state bulk resync", small, resyncSmall.ms, resyncSmall.calls));
            md.append(row("steady-state bulk resync", total, resyncBig.ms, resyncBig.calls));
            md.append(row("per-container observe (original: one request per container)", small, pollSmall.ms, pollSmall.calls));
            md.append(row("per-container observe (original: one request per container)", total, pollBig.ms, pollBig.calls));
            md.append("\nRatios (same run):\n\n");
            md.append(String.format("- bulk resync calls at %d vs %d containers: %d vs %d (ratio %.2f; constant per cluster)%n",
                    total, small, resyncBig.calls, resyncSmall.calls, (double) resyncBig.calls / resyncSmall.calls));
            md.append(String.format("- bulk resync vs per-container observe at %d: %d vs %d calls (%.0fx fewer), %.1f vs %.1f ms (%.1fx faster)%n",
                    total, resyncBig.calls, pollBig.calls, (double) pollBig.calls / resyncBig.calls, resyncBig.ms, pollBig.ms,
                    pollBig.ms / resyncBig.ms));
            md.append(String.format("- converge throughput: %.1f containers/s; re-apply of a converged container costs %.1f calls vs %.1f to create it%n",
                    total / (createMs / 1000), (double) reapplyCalls / total, (double) createCalls / total));
            md.append("\nCalls made while converging ").append(total).append(" containers:\n\n| request | count |\n|---|---:|\n");
            Map<String, Long> all = new TreeMap<>(smallCalls);
            restCalls.forEach((k, v) -> all.merge(k, v, Long::sum));
            all.forEach((k, v) -> md.append("| `").append(k).append("` | ").append(v).append(" |\n"));
            System.out.println(md);
        } finally {
            sim.close();
            admin("drop database if exists " + dbName + " with (force)");
        }
    }

    record Row(double ms, long calls) {}

    static void converge(Engine engine, int from, int to, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = from; i < to; i++) {
                String name = "ct" + i;
                futures.add(pool.submit(() -> {
                    engine.containers().apply(MANAGER, ContainerSpec.builder(SITE, name, "docker.io/library/nginx:1.27")
                            .cores(1).memoryMb(256).swapMb(0).diskGb(2).build());
                    engine.services().apply(MANAGER, ContainerServiceSpec.http(SITE, name, "web",
                            new ContainerServiceSpec.Http(name, "apps.bench.example", "http", false, 80)));
                    engine.services().apply(MANAGER, ContainerServiceSpec.tcp(SITE, name, "ssh", 22, null));
                    return null;
                }));
            }
            for (Future<?> f : futures) f.get();
        } finally {
            pool.shutdown();
        }
    }

    static Row resync(Engine engine, ProxmoxClient client) {
        engine.resync(SITE); // warm
        client.resetRequestCounts();
        long t = System.nanoTime();
        SiteObservation o = engine.resync(SITE);
        double ms = (System.nanoTime() - t) / 1e6;
        if (!o.converged() || !o.actions().isEmpty()) throw new IllegalStateException("site not converged: " + o.drift());
        return new Row(ms, sum(client.requestCounts()));
    }

    static Row poll(Engine engine, ProxmoxClient client, int n) {
        client.resetRequestCounts();
        long t = System.nanoTime();
        for (int i = 0; i < n; i++) engine.containers().observe(SITE, "ct" + i);
        double ms = (System.nanoTime() - t) / 1e6;
        return new Row(ms, sum(client.requestCounts()));
    }

    static long sum(Map<String, Long> m) {
        return m.values().stream().mapToLong(Long::longValue).sum();
    }

    static String row(String what, int n, double ms, long calls) {
        return String.format("| %s | %d | %.0f ms | %d | %.2f |%n", what, n, ms, calls, (double) calls / n);
    }

    static void admin(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", null);
             Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
