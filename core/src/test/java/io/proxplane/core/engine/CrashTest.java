package io.proxplane.core.engine;

import io.proxplane.core.engine.spec.ContainerServiceSpec;
import io.proxplane.core.engine.spec.ContainerSpec;
import io.proxplane.core.engine.spec.GroupSpec;
import io.proxplane.core.proxmox.model.ClusterResource;
import io.proxplane.core.proxmox.model.NetworkInterface;
import io.proxplane.core.registry.Container;
import io.proxplane.pvesim.PveSimulator;
import io.proxplane.pvesim.junit.PveSimulatorExtension;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills the engine (a child JVM) with SIGKILL inside its container creates, updates, owner changes
 * and deletes and its pool, user and group operations, a fixed number of times, while the
 * simulator lives on in this JVM. Then (a) a fresh engine doing one unrelated apply in the site
 * (and, after a second round of kills, a resync) must resolve every abandoned intent without any
 * front door re-applying those objects: no intent left, every interrupted create rolled back and
 * every interrupted delete finished, no address held for them, nothing left in Proxmox for them;
 * (b) re-applying a final desired state converges everything: no duplicate LXC, no orphan LXC, no
 * leaked or doubly-held IP/MAC/port; and deleting everything leaves nothing proxplane made.
 *
 * <p>Where each kill lands is chosen by work done, not by time: the child counts its registry
 * steps (statements, commits, rollbacks; see {@link CrashChild}) and stops dead before step
 * {@code k}, k drawn from a seeded random; the parent then sends SIGKILL. So every kill is inside an
 * operation on any machine, and each kill's step is recorded (printed at the end). Time limits
 * are hang guards only (minutes without any output from a child), never the verdict.
 */
class CrashTest {
    /**
     * Total kills, split evenly over the children. Each costs a JVM start (~3 s of CPU), so 100 keep
     * the test under 3 minutes on a quiet 2-core machine; -Dproxplane.crash.kills=1000 for a soak.
     */
    static final int KILLS = Integer.getInteger("proxplane.crash.kills", 100);
    static final int CHILDREN = 3;
    /** Kill points are drawn from the first this-many registry steps after start-up (a few operations). */
    static final int STEP_SPAN = Integer.getInteger("proxplane.crash.span", 60);
    /** A child that prints nothing for this long is hung: fail with its output instead of waiting forever. */
    static final Duration HANG_GUARD = Duration.ofMinutes(5);

    /** Where one kill landed. */
    record Kill(String child, int n, int step, String kind, String op, int stepInOp, String sql, String afterRequest,
                int intentsLeft, long startMillis, long runMillis) {}

    /** Kill points of the {@code proxmox:N} kind are drawn from the first this-many Proxmox requests. */
    static final int REQUEST_SPAN = Integer.getInteger("proxplane.crash.requestSpan", 40);

    private final List<Kill> kills = Collections.synchronizedList(new ArrayList<>());
    private final Set<Process> live = ConcurrentHashMap.newKeySet();
    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicInteger errors = new AtomicInteger();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final List<Integer> stepsPerOperation = Collections.synchronizedList(new ArrayList<>());
    private final long started = System.nanoTime();
    private int resolvedByChecks;

    @Test
    void sigkillInsideOperationsNeverLeaksOrDuplicates() throws Exception {
        // a JVM killed by surefire still takes its children with it (they also halt when stdin closes)
        Thread reaper = new Thread(this::destroyChildren, "crash-test-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        try {
            crashAndRecover();
        } finally {
            destroyChildren();
            Runtime.getRuntime().removeShutdownHook(reaper);
        }
    }

    private void crashAndRecover() throws Exception {
        PveSimulator sim = PveSimulatorExtension.testDefaults().nodes("pve1", "pve2", "pve3")
                .taskDuration(Duration.ofMillis(15)).build().start();
        try (EngineFixture f = new EngineFixture(sim)) {
            f.site();
            Random random = new Random(42);
            List<CompletableFuture<Void>> workers = new ArrayList<>();
            for (int w = 0; w < CHILDREN; w++) {
                String prefix = "c" + w + "-";
                long seed = random.nextLong();
                int phase1 = KILLS - CHILDREN;
                int count = phase1 / CHILDREN + (w < phase1 % CHILDREN ? 1 : 0);
                workers.add(CompletableFuture.runAsync(() -> killLoop(f, prefix, seed, 1, count), runnable -> Thread.ofPlatform().start(runnable)));
            }
            // no time limit here: each child wait has its own hang guard
            CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).join();
            // (a) a fresh engine's unrelated apply resolves every abandoned intent
            recoverAndCheck(f, "apply");

            // a second round, one kill per child, resolved by a fresh engine's resync alone
            workers.clear();
            for (int w = 0; w < CHILDREN; w++) {
                String prefix = "c" + w + "-";
                long seed = random.nextLong();
                int first = kills.stream().filter(k -> k.child().equals(prefix)).mapToInt(Kill::n).max().orElse(0) + 1;
                workers.add(CompletableFuture.runAsync(() -> killLoop(f, prefix, seed, first, 1), runnable -> Thread.ofPlatform().start(runnable)));
            }
            CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).join();
            recoverAndCheck(f, "resync");
            // Children resolve each other's abandoned intents on their first apply, so how many are
            // left for the two checks depends on where the last kills landed: it is reported, not
            // asserted (that the checks left none behind is). AbandonedIntentTest proves the
            // unrelated-apply and resync paths on an intent abandoned by construction.
            System.err.println("[crash] abandoned intents resolved by the final checks: " + resolvedByChecks);

            report();
            assertThat(kills).hasSize(KILLS);
            // by construction every kill is inside an operation; make sure many kinds of operation and
            // many different points were hit, and that kills left half-done work behind to recover
            assertThat(kills).extracting(Kill::kind).contains("apply", "delete");
            assertThat(kills.stream().map(Kill::kind).distinct().count()).as("kinds of operation killed").isGreaterThanOrEqualTo(5);
            assertThat(kills.stream().filter(k -> !k.afterRequest().equals("-")).count())
                    .as("kills right after a Proxmox request returned").isGreaterThan(KILLS / 5);
            assertThat(kills.stream().map(k -> k.kind() + "/" + k.stepInOp()).distinct().count())
                    .as("distinct kill points").isGreaterThanOrEqualTo(10);
            assertThat(kills.stream().filter(k -> k.intentsLeft() > 0).count())
                    .as("kills that left an operation's intent behind").isGreaterThan(KILLS / 20);

            // Restart (in this JVM) and converge a final desired state: some kept, some deleted.
            Map<String, ContainerSpec> kept = new HashMap<>();
            Random finalRandom = new Random(7);
            for (int w = 0; w < CHILDREN; w++) {
                for (int i = 0; i < CrashChild.NAMES; i++) {
                    String name = "c" + w + "-" + i;
                    if (i % 2 == 0) {
                        ContainerSpec spec = CrashChild.randomSpec(name, finalRandom);
                        f.engine.containers().apply(EngineFixture.K8S, spec);
                        f.engine.services().apply(EngineFixture.K8S, ContainerServiceSpec.tcp(EngineFixture.SITE, name, "ssh", 22, null));
                        kept.put(name, spec);
                    } else {
                        f.engine.containers().delete(EngineFixture.K8S, EngineFixture.SITE, name);
                    }
                }
            }
            // pools, users and groups: some kept, some deleted (all names registered first, so that
            // deleting them at the end removes whatever Proxmox principal proxplane made for them)
            for (int w = 0; w < CHILDREN; w++) {
                String prefix = "c" + w + "-";
                for (int i = 0; i < CrashChild.OTHER_NAMES; i++) {
                    f.engine.users().apply(EngineFixture.K8S, CrashChild.userSpec(prefix + "u" + i));
                    f.engine.groups().apply(EngineFixture.K8S, new GroupSpec(prefix + "g" + i, null, List.of(), false));
                }
                for (int i = 0; i < CrashChild.OTHER_NAMES; i++) {
                    if (i == 0) {
                        f.engine.pools().apply(EngineFixture.K8S, CrashChild.poolSpec(prefix + "p" + i, prefix, finalRandom));
                    } else {
                        f.engine.pools().delete(EngineFixture.K8S, prefix + "p" + i);
                    }
                }
            }
            SiteObservation after = f.engine.resync(EngineFixture.SITE);
            assertThat(f.engine.observeSite(EngineFixture.SITE).converged()).as(after.toString()).isTrue();

            long siteId = f.engine.registry().sites().findByName(EngineFixture.SITE).orElseThrow().id();
            List<Container> rows = f.engine.registry().containers().listBySite(siteId);
            List<ClusterResource> guests = f.admin.cluster().resources().stream().filter(r -> "lxc".equals(r.type())).toList();

            // exactly the kept containers are registered, none mid-operation
            assertThat(rows).extracting(Container::name).containsExactlyInAnyOrderElementsOf(kept.keySet());
            assertThat(rows).allSatisfy(c -> assertThat(c.intent()).isNull());
            // one LXC per row, at its vmid, with its tag; no other LXC at all (no orphans, no duplicates)
            assertThat(guests).hasSize(rows.size());
            Map<Integer, ClusterResource> byVmid = guests.stream().collect(Collectors.toMap(ClusterResource::vmid, g -> g));
            for (Container c : rows) {
                ClusterResource g = byVmid.get(c.vmid());
                assertThat(g).as("LXC of " + c.name()).isNotNull();
                assertThat(g.tags()).contains("proxplane",
                        new OwnerTag(f.engine.registry().identity(), siteId, c.id()).render());
                assertThat(g.status()).isEqualTo("running");
                NetworkInterface net0 = f.admin.lxc().config(g.node(), g.vmid()).net(0).orElseThrow();
                assertThat(net0.hwaddr()).isEqualToIgnoringCase(c.mac());
                assertThat(net0.ip()).isEqualTo(c.ipv4() + "/24");
                var cfg = f.admin.lxc().config(g.node(), g.vmid());
                assertThat(cfg.cores()).hasValue(kept.get(c.name()).cores());
            }
            // allocations: each held once, only by live rows
            try (Connection db = f.db.connect(); Statement st = db.createStatement()) {
                assertThat(one(st, "select count(*) - count(distinct ipv4) from containers")).isZero();
                assertThat(one(st, "select count(*) - count(distinct mac) from containers")).isZero();
                assertThat(one(st, "select count(*) - count(distinct (protocol, external_port)) from services")).isZero();
                assertThat(one(st, "select count(*) from services")).isEqualTo(kept.size());
                assertThat(one(st, "select count(*) from containers where vmid is null or mac is null or ipv4 is null")).isZero();
                assertThat(one(st, "select count(*) from engine_container_specs")).isEqualTo(kept.size());
            }
            Set<Integer> vmids = rows.stream().map(Container::vmid).collect(Collectors.toSet());
            assertThat(vmids).hasSize(rows.size());
            for (int w = 0; w < CHILDREN; w++) {
                String prefix = "c" + w + "-";
                assertThat(f.engine.pools().observe(prefix + "p0")).isPresent();
                assertThat(f.admin.pools().list()).extracting(p -> p.poolid()).contains(prefix + "p0").doesNotContain(prefix + "p1");
            }

            // and deleting everything leaves nothing proxplane made in Proxmox
            for (Container c : rows) f.engine.containers().delete(EngineFixture.K8S, EngineFixture.SITE, c.name());
            for (int w = 0; w < CHILDREN; w++) {
                String prefix = "c" + w + "-";
                for (int i = 0; i < CrashChild.OTHER_NAMES; i++) {
                    f.engine.pools().delete(EngineFixture.K8S, prefix + "p" + i);
                    f.engine.users().delete(EngineFixture.K8S, prefix + "u" + i);
                    f.engine.groups().delete(EngineFixture.K8S, prefix + "g" + i);
                }
            }
            SimulatorAssertions.holdsNothingMadeByProxplane(f.admin);
        }
    }

    /**
     * (a): takes the model of what must survive from the registry as the kills left it (rows with an
     * intent were being created or deleted by an engine that is gone: they must go; the others
     * must stay), lets a FRESH engine run one unrelated apply (or a resync) in the site, and checks
     * that every abandoned intent was resolved with nothing leaked, in the registry or in Proxmox.
     */
    private void recoverAndCheck(EngineFixture f, String how) throws Exception {
        long siteId = f.engine.registry().sites().findByName(EngineFixture.SITE).orElseThrow().id();
        Set<String> doomed = new java.util.TreeSet<>(), kept = new java.util.TreeSet<>();
        Set<String> doomedPools = new java.util.TreeSet<>(), keptPools = new java.util.TreeSet<>();
        try (Connection db = f.db.connect(); Statement st = db.createStatement()) {
            for (Container c : f.engine.registry().containers().listBySite(siteId)) (c.intent() != null ? doomed : kept).add(c.name());
            try (ResultSet rs = st.executeQuery("select pool_name from engine_pool_intents")) {
                while (rs.next()) doomedPools.add(rs.getString(1));
            }
            f.engine.registry().pools().list().forEach(p -> { if (!doomedPools.contains(p.name())) keptPools.add(p.name()); });
        }
        List<Action> actions;
        long t0 = System.nanoTime();
        try (Engine fresh = EngineFixture.engine(f.db, f.sim)) {
            actions = how.equals("apply")
                    ? fresh.containers().apply(EngineFixture.K8S, EngineFixture.container("probe").build()).actions()
                    : fresh.resync(EngineFixture.SITE).actions();
        }
        System.err.printf("crash test: %s resolved %d interrupted container and %d pool operations in %d ms: %s%n", how,
                doomed.size(), doomedPools.size(), (System.nanoTime() - t0) / 1_000_000,
                actions.stream().filter(a -> a.verb().startsWith("recover-")).collect(Collectors.groupingBy(Action::verb, TreeMap::new, Collectors.counting())));
        assertThat(actions).extracting(Action::verb).doesNotContain("recover-failed");
        resolvedByChecks += doomed.size() + doomedPools.size();
        Set<String> names = f.engine.registry().containers().listBySite(siteId).stream().map(Container::name)
                .filter(n -> !n.equals("probe")).collect(Collectors.toSet());
        assertThat(names).as("containers after recovery (interrupted creates rolled back, deletes finished)")
                .containsExactlyInAnyOrderElementsOf(kept);
        assertThat(f.engine.registry().pools().list()).extracting(p -> p.name()).containsExactlyInAnyOrderElementsOf(keptPools);
        try (Connection db = f.db.connect(); Statement st = db.createStatement()) {
            assertThat(one(st, "select count(*) from containers where intent is not null")).as("intents left").isZero();
            assertThat(one(st, "select count(*) from engine_pool_intents")).as("pool intents left").isZero();
            assertThat(one(st, "select count(*) - count(distinct ipv4) from containers")).isZero();
            assertThat(one(st, "select count(*) - count(distinct mac) from containers")).isZero();
            assertThat(one(st, "select count(*) - count(distinct (protocol, external_port)) from services")).isZero();
            assertThat(one(st, "select count(*) from engine_container_specs s where not exists (select 1 from containers c where c.id = s.container_id)")).isZero();
        }
        // Proxmox: every guest carrying this site's owner tag belongs to a row at that vmid, and
        // nothing proxplane made is left for an object that is gone
        List<Container> rows = f.engine.registry().containers().listBySite(siteId);
        Map<Long, Container> byId = rows.stream().collect(Collectors.toMap(Container::id, c -> c));
        for (ClusterResource g : f.admin.cluster().resources()) {
            if (!"lxc".equals(g.type())) continue;
            var owner = g.tags().stream().map(OwnerTag::parse).flatMap(java.util.Optional::stream).findFirst();
            assertThat(owner).as("guest " + g.vmid() + " " + g.tags()).isPresent();
            Container row = byId.get(owner.get().containerId());
            assertThat(row).as("row of guest " + g.vmid() + " " + g.tags()).isNotNull();
            assertThat(row.vmid()).isEqualTo(g.vmid());
        }
        Set<String> pools = f.engine.registry().pools().list().stream().map(p -> p.name()).collect(Collectors.toSet());
        Set<String> users = new java.util.HashSet<>(), groups = new java.util.HashSet<>();
        f.engine.registry().users().list().forEach(u -> users.add(u.username() + "@pve"));
        f.engine.registry().groups().list().forEach(g -> groups.add(g.name()));
        rows.forEach(c -> { if (c.spec().owner() != null) users.add(c.spec().owner() + "@pve"); });
        f.engine.registry().pools().list().forEach(p -> p.spec().aclGrants().forEach(gr -> {
            if (gr.user() != null) users.add(gr.user() + "@pve");
            if (gr.group() != null) groups.add(gr.group());
        }));
        List<String> leaks = SimulatorAssertions.leftovers(f.admin).stream().filter(l ->
                (l.startsWith("pool ") && !pools.contains(l.split(" ")[1]))
                        || (l.startsWith("user ") && !users.contains(l.split(" ")[1]))
                        || (l.startsWith("group ") && !groups.contains(l.split(" ")[1]))
                        || l.endsWith("(the pool is gone)") || l.endsWith("(the guest is gone)")).toList();
        assertThat(leaks).as("Proxmox objects proxplane made for objects that no longer exist").isEmpty();
        if (how.equals("apply")) f.engine.containers().delete(EngineFixture.K8S, EngineFixture.SITE, "probe");
    }

    private static long one(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static ProcessBuilder child(EngineFixture f, String prefix, long seed, String killPoint) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m", "-XX:-UsePerfData",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(),
                f.db.jdbcUrl(), f.sim.baseUrl(), f.sim.certificateFingerprintSha256(), prefix, String.valueOf(seed),
                killPoint);
    }

    /** Rows and pools of this child left with an intent: the kill landed inside a create or delete. */
    private static int interruptedOperations(EngineFixture f, String prefix) throws Exception {
        try (Connection db = f.db.connect(); Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("select (select count(*) from containers where intent is not null and name like '"
                     + prefix + "%') + (select count(*) from engine_pool_intents where pool_name like '" + prefix + "%')")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private void killLoop(EngineFixture f, String prefix, long seed, int first, int count) {
        Random random = new Random(seed);
        try {
            for (int n = first; n < first + count && !stopping.get(); n++) {
                // a third of the kills anywhere in the next few operations, a third around an intent
                // write, a third right after a Proxmox request returned (before the registry write after it)
                String killPoint = switch (n % 3) {
                    case 1 -> "step:" + (1 + random.nextInt(STEP_SPAN));
                    case 2 -> "intent:" + random.nextInt(6);
                    default -> "proxmox:" + (1 + random.nextInt(REQUEST_SPAN));
                };
                Process p = child(f, prefix, random.nextLong(), killPoint).redirectErrorStream(true).start();
                live.add(p);
                long t0 = System.nanoTime();
                AtomicLong readyAt = new AtomicLong(t0);
                try {
                    String parked = awaitParked(p, prefix, readyAt);
                    p.destroyForcibly(); // SIGKILL, while the child is stopped at its chosen step
                    p.waitFor();
                    kills.add(parse(prefix, n, parked, interruptedOperations(f, prefix), readyAt.get() - t0, System.nanoTime() - readyAt.get()));
                } finally {
                    p.destroyForcibly();
                    p.waitFor();
                    live.remove(p);
                }
                int total = kills.size();
                if (total % 15 == 0) {
                    System.err.printf("crash test: %d/%d kills, %d s%n", total, KILLS, elapsedSeconds());
                }
            }
        } catch (Exception | AssertionError e) {
            stopping.set(true); // the other children stop too: the test has failed
            throw new RuntimeException(e);
        }
    }

    /**
     * Reads the child's output until it reports it is parked at its kill point. The hang guard
     * counts from the child's last line, so a slow machine only makes this slower.
     */
    private String awaitParked(Process p, String prefix, AtomicLong readyAt) throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofPlatform().daemon().name("crash-child-" + prefix).start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = out.readLine()) != null; ) {
                    lines.add(l);
                }
            } catch (IOException e) {
                // the child is gone: reported below as end of output
            } finally {
                lines.add(EOF);
            }
        });
        Deque<String> tail = new ArrayDeque<>();
        while (true) {
            String line = lines.poll(HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
            if (line == null) {
                throw new AssertionError("child " + prefix + " printed nothing for " + HANG_GUARD + "; last output:\n"
                        + String.join("\n", tail));
            }
            if (line == EOF) {
                throw new AssertionError("child " + prefix + " exited (" + p.waitFor() + ") before its kill point; last output:\n"
                        + String.join("\n", tail));
            }
            if (line.startsWith("PARKED ")) {
                return line;
            }
            if (line.equals("READY")) {
                readyAt.set(System.nanoTime());
            } else if (line.startsWith("OK ")) {
                completed.incrementAndGet();
                stepsPerOperation.add(Integer.parseInt(line.substring(line.lastIndexOf("steps=") + 6)));
            } else if (line.startsWith("ERR ")) {
                errors.incrementAndGet();
            }
            tail.addLast(line);
            if (tail.size() > 40) {
                tail.removeFirst();
            }
        }
    }

    private static final String EOF = new String("<eof>");

    private static Kill parse(String prefix, int n, String parked, int intentsLeft, long startNanos, long runNanos) {
        Map<String, String> fields = new HashMap<>();
        for (String part : parked.substring("PARKED ".length()).split(" ")) {
            int eq = part.indexOf('=');
            fields.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return new Kill(prefix, n, Integer.parseInt(fields.get("step")), fields.get("kind"), fields.get("op"),
                Integer.parseInt(fields.get("inOp")), fields.get("sql"), fields.getOrDefault("after", "-"), intentsLeft,
                startNanos / 1_000_000, runNanos / 1_000_000);
    }

    private void report() {
        Map<String, Long> bySql = kills.stream().collect(Collectors.groupingBy(
                k -> k.kind() + " " + (k.afterRequest().equals("-") ? "" : "after " + k.afterRequest() + ", before ") + k.sql(),
                TreeMap::new, Collectors.counting()));
        Map<String, Long> byKind = kills.stream().collect(Collectors.groupingBy(Kill::kind, TreeMap::new, Collectors.counting()));
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("crash test: %d SIGKILLs in %d s, %d left an intent behind; %d operations completed, %d refused%n",
                kills.size(), elapsedSeconds(), kills.stream().filter(k -> k.intentsLeft() > 0).count(), completed.get(), errors.get()));
        sb.append(String.format("child start-up %d ms, start-up to kill %d ms, %.0f registry steps per completed operation (averages)%n",
                (long) kills.stream().mapToLong(Kill::startMillis).average().orElse(0),
                (long) kills.stream().mapToLong(Kill::runMillis).average().orElse(0),
                stepsPerOperation.stream().mapToInt(Integer::intValue).average().orElse(0)));
        sb.append("kills by operation: ").append(byKind).append('\n');
        sb.append("kills by the step they interrupted:\n");
        bySql.forEach((k, v) -> sb.append(String.format("%5d  %s%n", v, k)));
        sb.append("every kill (child, n, step since start-up, operation, step in operation, intents left):\n");
        kills.stream().sorted(Comparator.comparing(Kill::child).thenComparingInt(Kill::n)).forEach(k -> sb.append(String.format(
                "  %s#%d step %d: %s %s step %d (%s, after request %s), %d intent(s) left%n",
                k.child(), k.n(), k.step(), k.kind(), k.op(), k.stepInOp(), k.sql(), k.afterRequest(), k.intentsLeft())));
        System.out.print(sb);
    }

    private long elapsedSeconds() {
        return (System.nanoTime() - started) / 1_000_000_000L;
    }

    private void destroyChildren() {
        for (Process p : live) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
