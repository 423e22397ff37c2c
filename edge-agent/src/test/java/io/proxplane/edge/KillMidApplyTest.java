package io.proxplane.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.proxplane.core.registry.ContainerAddresses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the agent as a child JVM and SIGKILLs it at random moments while registry changes keep
 * flowing. After every kill the live nginx configuration must pass {@code nginx -t} and nginx must
 * still serve; at the end a fresh agent must converge to the registry's latest revision.
 */
class KillMidApplyTest {
    static final int KILLS = 25;
    static final Pattern PHASE = Pattern.compile("apply phase=([a-z-]+)");

    @TempDir
    Path dir;

    @Test
    void killingTheAgentAtRandomPointsAlwaysLeavesAValidServingConfiguration() throws Exception {
        try (EdgeTestEnv env = new EdgeTestEnv(dir)) {
            ContainerAddresses app = env.container("app");
            int port = env.backend(app.ipv4(), "app");
            env.httpService(app.containerId(), "stable", "stable", port);

            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger written = new AtomicInteger();
            Random random = new Random(20261122L);
            Thread writer = Thread.ofPlatform().name("registry-writer").start(() -> {
                Random r = new Random(7);
                while (writing.get()) {
                    int n = written.incrementAndGet();
                    env.httpService(app.containerId(), "svc" + n, "svc" + n, port);
                    if (n > 10 && r.nextInt(3) == 0) {
                        env.registry.services().findByName(app.containerId(), "svc" + (n - 10))
                                .ifPresent(s -> env.registry.services().delete(EdgeTestEnv.MANAGER, s.id()));
                    }
                    try {
                        Thread.sleep(40 + r.nextInt(120));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });

            Map<String, Integer> phases = new TreeMap<>();
            List<String> failures = new ArrayList<>();
            try {
                // the first agent starts nginx, which outlives every agent
                Process first = startAgent(env, 0);
                EdgeTestEnv.await("nginx to serve stable", Duration.ofSeconds(60), () -> env.get("stable").status() == 200);
                kill(first);

                for (int i = 1; i <= KILLS; i++) {
                    Process agent = startAgent(env, i);
                    Thread.sleep(400 + random.nextInt(1600));
                    kill(agent);
                    String phase = lastPhase(log(i));
                    phases.merge(phase, 1, Integer::sum);

                    EdgeTestEnv.Result check = env.nginxTestLive();
                    if (check.exitCode() != 0) {
                        failures.add("kill " + i + " (" + phase + "): nginx -t failed: " + check.output());
                    }
                    EdgeTestEnv.Reply reply = env.get("stable");
                    if (reply.status() != 200) {
                        failures.add("kill " + i + " (" + phase + "): stable answered " + reply);
                    }
                }
            } finally {
                writing.set(false);
                writer.join(10_000);
            }
            assertThat(failures).isEmpty();
            // The kills must have landed inside applies, not only before or between them.
            int midApply = phases.entrySet().stream()
                    .filter(e -> !List.of("none", "done", "failed").contains(e.getKey()))
                    .mapToInt(Map.Entry::getValue).sum();
            assertThat(midApply).as("kills during an apply; phases at kill time: %s", phases).isGreaterThanOrEqualTo(3);

            // A restarted agent converges on the latest revision and serves the newest service.
            long latest = env.registry.currentRevision();
            String newest = "svc" + written.get();
            Process last = startAgent(env, KILLS + 1);
            try {
                EdgeTestEnv.await("convergence to revision " + latest, Duration.ofSeconds(60), () -> env.status("kill-agent")
                        .map(s -> s.lastError() == null && s.appliedRevision() != null && s.appliedRevision() >= latest)
                        .orElse(false));
                EdgeTestEnv.await(newest + " served", Duration.ofSeconds(10), () -> env.get(newest).status() == 200);
                assertThat(env.nginxTestLive().exitCode()).isZero();
                try (var versions = Files.list(env.nginxDir)) {
                    assertThat(versions.filter(p -> p.getFileName().toString().startsWith("r")).count())
                            .as("old and unfinished versions are cleaned up").isLessThanOrEqualTo(2);
                }
            } finally {
                last.destroy();
                last.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private Path log(int i) {
        return dir.resolve("agent-" + i + ".log");
    }

    private Process startAgent(EdgeTestEnv env, int i) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-Dorg.slf4j.simpleLogger.log.io.proxplane.edge.Applier=debug",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(env.agentFlags("kill-agent", "--debounce=50ms", "--max-delay=200ms"));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log(i).toFile()).start();
    }

    private static void kill(Process process) throws InterruptedException {
        process.destroyForcibly(); // SIGKILL on Linux
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("agent did not die");
        }
    }

    static String lastPhase(Path log) throws IOException {
        String phase = "none";
        for (String line : Files.readAllLines(log)) {
            Matcher m = PHASE.matcher(line);
            if (m.find()) {
                phase = m.group(1);
            }
        }
        return phase;
    }
}
