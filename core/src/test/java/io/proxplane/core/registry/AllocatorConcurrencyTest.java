package io.proxplane.core.registry;

import io.proxplane.core.registry.alloc.Ipv4;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many threads in this JVM and several in a second JVM allocate against one database at the same
 * time; every value handed out must be unique, stored, and never a forbidden one.
 */
class AllocatorConcurrencyTest {
    static final int PARENT_THREADS = 6;
    static final int CHILD_THREADS = 4;
    static final int PER_THREAD = 10;

    static TestDatabase database;
    static Registry registry;

    @BeforeAll
    static void open() {
        database = TestDatabase.create();
        registry = Registry.open(database.config().withMaxPoolSize(PARENT_THREADS + 2));
    }

    @AfterAll
    static void close() {
        registry.close();
        database.close();
    }

    @Test
    void threadsAndTwoJvmsNeverReceiveTheSameValue() throws Exception {
        Site site = registry.sites().upsert(Fixtures.K8S, Fixtures.site("stress", "10.70.0.0/22", "10.70.0.1",
                "10.70.3.0", "10.70.3.255", List.of(new Ipv4Range("10.70.0.2", "10.70.0.10"))));

        ProcessBuilder pb = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                AllocationWorker.class.getName(),
                database.jdbcUrl(), TestDatabase.USER, String.valueOf(site.id()), "child", String.valueOf(CHILD_THREADS),
                String.valueOf(PER_THREAD));
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process child = pb.start();
        List<String> childLines = new ArrayList<>();
        CountDownLatch childReady = new CountDownLatch(1);
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.equals("ready")) {
                        childReady.countDown();
                    } else {
                        childLines.add(line);
                    }
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        try {
            assertThat(childReady.await(60, TimeUnit.SECONDS)).as("child JVM ready").isTrue();
            child.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
            child.getOutputStream().flush();
            List<String> parentLines = AllocationWorker.run(registry, site.id(), "parent", PARENT_THREADS, PER_THREAD,
                    new CountDownLatch(0));
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
            reader.get(10, TimeUnit.SECONDS);
            assertThat(child.exitValue()).as("child exit code").isZero();
            assertThat(childLines).last().isEqualTo("done");

            List<String> all = new ArrayList<>(parentLines);
            all.addAll(childLines.subList(0, childLines.size() - 1));
            int containers = (PARENT_THREADS + CHILD_THREADS) * PER_THREAD;
            Map<String, List<String>> byKind = new HashMap<>();
            for (String line : all) {
                String[] kv = line.split(" ", 2);
                byKind.computeIfAbsent(kv[0], k -> new ArrayList<>()).add(kv[1]);
            }
            assertThat(byKind.keySet()).containsExactlyInAnyOrder("ip", "mac", "vmid", "tcp", "udp", "uid", "gid");
            byKind.forEach((kind, values) -> {
                assertThat(values).as(kind + " values handed out").hasSize(containers);
                assertThat(new HashSet<>(values)).as(kind + " values are unique").hasSize(containers);
            });

            for (String ip : byKind.get("ip")) {
                long v = Ipv4.parse("ip", ip);
                assertThat(v).isBetween(Ipv4.parse("", "10.70.0.11"), Ipv4.parse("", "10.70.2.255"));
            }
            for (String vmid : byKind.get("vmid")) {
                assertThat(AllocationWorker.PROXMOX_VMIDS).doesNotContain(Integer.parseInt(vmid));
            }
            // lowest-free-first and nothing lost: exactly the first N usable addresses and ports
            assertThat(byKind.get("tcp").stream().mapToInt(Integer::parseInt).max().orElseThrow()).isEqualTo(2000 + containers - 1);
            // uids (= private gids) and group gids share one number space: together unique, none lost
            List<String> ids = new ArrayList<>(byKind.get("uid"));
            ids.addAll(byKind.get("gid"));
            assertThat(new HashSet<>(ids)).as("uids and gids never meet").hasSize(2 * containers);
            assertThat(ids.stream().mapToInt(Integer::parseInt).max().orElseThrow()).isEqualTo(10000 + 2 * containers - 1);

            // what callers were told is what the registry holds
            List<Container> stored = registry.containers().listBySite(site.id());
            assertThat(stored).hasSize(containers);
            assertThat(stored).extracting(Container::ipv4).containsExactlyInAnyOrderElementsOf(byKind.get("ip"));
            assertThat(stored).extracting(Container::mac).containsExactlyInAnyOrderElementsOf(byKind.get("mac"));
            assertThat(stored).extracting(c -> String.valueOf(c.vmid())).containsExactlyInAnyOrderElementsOf(byKind.get("vmid"));
            assertThat(registry.services().listBySite(site.id())).extracting(s -> s.spec().protocol() + " " + s.externalPort())
                    .hasSize(2 * containers).doesNotHaveDuplicates();

            // the premise of the test: the two JVMs really did allocate at the same time
            List<String> actors = new ArrayList<>();
            try (var c = database.connect(); var st = c.createStatement();
                 var rs = st.executeQuery("select actor from audit_log where action = 'allocate' order by id")) {
                while (rs.next()) {
                    actors.add(rs.getString(1).contains("/child-") ? "child" : "parent");
                }
            }
            int switches = 0;
            for (int i = 1; i < actors.size(); i++) {
                if (!actors.get(i).equals(actors.get(i - 1))) {
                    switches++;
                }
            }
            assertThat(switches).as("allocations of the two JVMs interleave").isGreaterThan(1);
        } finally {
            child.destroyForcibly();
        }
    }
}
