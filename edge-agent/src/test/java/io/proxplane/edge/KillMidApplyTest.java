package io.proxplane.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.proxplane.core.registry.ContainerAddresses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the agent as a child JVM and SIGKILLs it in the middle of applies while registry changes
 * keep arriving. After every kill the live nginx configuration must pass {@code nginx -t} and
 * nginx must still serve; at the end a fresh agent must converge to the registry's latest revision.
 *
 * <p>The kills land inside an apply by construction, not by timing: the agent runs nginx and
 * dnsmasq through wrapper scripts (a pause hook). Before each round the test arms one point of
 * the apply (validating the nginx candidate, validating the dnsmasq candidate, restarting
 * dnsmasq on the swapped-in file); the wrapper invocation that reaches it writes a marker with
 * its pid and sleeps instead of running the binary, so the agent is stopped right there when the
 * SIGKILL comes. The agent's own log confirms the phase it was in. The only time limit is a hang
 * guard of minutes: a slow machine makes the test slower, never red.
 */
class KillMidApplyTest {
    static final int KILLS = 15;
    static final List<String> POINTS = List.of("validate-nginx", "validate-dnsmasq", "reload-dnsmasq");
    static final Duration HANG_GUARD = Duration.ofMinutes(5);
    static final Pattern PHASE = Pattern.compile("apply phase=([a-z-]+)");

    @TempDir
    Path dir;

    @Test
    void killingTheAgentInsideAppliesAlwaysLeavesAValidServingConfiguration() throws Exception {
        Path hooks = Files.createDirectories(dir.resolve("hooks"));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        wrapper(bin.resolve("nginx"), "/usr/sbin/nginx", hooks);
        wrapper(bin.resolve("dnsmasq"), "/usr/sbin/dnsmasq", hooks);
        long started = System.nanoTime();
        try (EdgeTestEnv env = new EdgeTestEnv(dir)) {
            ContainerAddresses app = env.container("app");
            int port = env.backend(app.ipv4(), "app");
            env.httpService(app.containerId(), "stable", "stable", port);

            Map<String, Integer> phases = new TreeMap<>();
            List<String> failures = new ArrayList<>();
            // the first agent starts nginx, which outlives every agent
            Process first = startAgent(env, 0, bin);
            try {
                EdgeTestEnv.await("nginx to serve stable", HANG_GUARD, () -> env.get("stable").status() == 200);
            } finally {
                kill(first);
            }

            int written = 0;
            for (int i = 1; i <= KILLS; i++) {
                String point = POINTS.get(i % POINTS.size());
                Files.writeString(hooks.resolve("arm-" + point), "");
                // a change for both nginx (a service) and dnsmasq (a container's DHCP/DNS entry),
                // so the next apply has candidates to validate; older services go now and then
                written++;
                env.container("c" + written);
                env.httpService(app.containerId(), "svc" + written, "svc" + written, port);
                if (written > 4 && written % 3 == 0) {
                    env.registry.services().findByName(app.containerId(), "svc" + (written - 4))
                            .ifPresent(s -> env.registry.services().delete(EdgeTestEnv.MANAGER, s.id()));
                }
                Process agent = startAgent(env, i, bin);
                try {
                    long pausedPid = awaitPause(hooks, point, agent, i);
                    kill(agent);
                    killPaused(pausedPid);
                } finally {
                    kill(agent);
                }
                Files.deleteIfExists(hooks.resolve("paused-" + point));
                String phase = lastPhase(log(i));
                phases.merge(phase, 1, Integer::sum);
                if (!phase.equals(point)) {
                    failures.add("kill " + i + ": armed " + point + " but the agent logged phase " + phase);
                }

                EdgeTestEnv.Result check = env.nginxTestLive();
                if (check.exitCode() != 0) {
                    failures.add("kill " + i + " (" + phase + "): nginx -t failed: " + check.output());
                }
                EdgeTestEnv.Reply reply = env.get("stable");
                if (reply.status() != 200) {
                    failures.add("kill " + i + " (" + phase + "): stable answered " + reply);
                }
                if (i % 6 == 0) {
                    System.err.printf("kill-mid-apply: %d/%d kills, %d s%n", i, KILLS, (System.nanoTime() - started) / 1_000_000_000L);
                }
            }
            System.out.println("kill-mid-apply: phases at kill time " + phases + " in "
                    + (System.nanoTime() - started) / 1_000_000_000L + " s");
            assertThat(failures).isEmpty();
            assertThat(phases).as("every armed point was hit").containsOnlyKeys(POINTS);

            // A restarted agent converges on the latest revision and serves the newest service.
            long latest = env.registry.currentRevision();
            String newest = "svc" + written;
            Process last = startAgent(env, KILLS + 1, bin);
            try {
                EdgeTestEnv.await("convergence to revision " + latest, HANG_GUARD, () -> env.status("kill-agent")
                        .map(s -> s.lastError() == null && s.appliedRevision() != null && s.appliedRevision() >= latest)
                        .orElse(false));
                EdgeTestEnv.await(newest + " served", HANG_GUARD, () -> env.get(newest).status() == 200);
                assertThat(env.nginxTestLive().exitCode()).isZero();
                try (var versions = Files.list(env.nginxDir)) {
                    assertThat(versions.filter(p -> p.getFileName().toString().startsWith("r")).count())
                            .as("old and unfinished versions are cleaned up").isLessThanOrEqualTo(2);
                }
            } finally {
                kill(last);
            }
        } finally {
            // a wrapper left sleeping by a failed round
            try (var markers = Files.list(hooks)) {
                for (Path m : markers.filter(p -> p.getFileName().toString().startsWith("paused-")).toList()) {
                    killPaused(Long.parseLong(Files.readString(m).strip()));
                }
            }
        }
    }

    /**
     * The pause hook: a shell script standing in for the binary. When the invocation is the armed
     * point (its arm file can be renamed away, so only one invocation takes it), it records its pid
     * and sleeps; otherwise it becomes the real binary (exec keeps the pid, so pid files and the
     * agent's process checks see the real nginx/dnsmasq).
     */
    private static void wrapper(Path script, String real, Path hooks) throws IOException {
        String text = """
                #!/bin/sh
                point=""
                case "$(basename "$0")" in
                  nginx) for a in "$@"; do [ "$a" = "-t" ] && point=validate-nginx; done ;;
                  dnsmasq) point=reload-dnsmasq; for a in "$@"; do [ "$a" = "--test" ] && point=validate-dnsmasq; done ;;
                esac
                if [ -n "$point" ] && mv "HOOKS/arm-$point" "HOOKS/taken-$$" 2>/dev/null; then
                  echo $$ > "HOOKS/paused-$point.tmp" && mv "HOOKS/paused-$point.tmp" "HOOKS/paused-$point"
                  exec sleep 3600
                fi
                exec REAL "$@"
                """.replace("HOOKS", hooks.toString()).replace("REAL", real);
        Files.writeString(script, text);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Waits for the armed point's marker; returns the pid of the paused wrapper. */
    private long awaitPause(Path hooks, String point, Process agent, int i) throws Exception {
        Path marker = hooks.resolve("paused-" + point);
        long deadline = System.nanoTime() + HANG_GUARD.toNanos();
        while (!Files.exists(marker)) {
            if (!agent.isAlive()) {
                throw new AssertionError("agent " + i + " exited (" + agent.exitValue() + ") before reaching " + point
                        + "; its log: " + tail(log(i)));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("hang guard: agent " + i + " did not reach " + point + " within " + HANG_GUARD
                        + "; its log: " + tail(log(i)));
            }
            Thread.sleep(20);
        }
        return Long.parseLong(Files.readString(marker).strip());
    }

    private Path log(int i) {
        return dir.resolve("agent-" + i + ".log");
    }

    private Process startAgent(EdgeTestEnv env, int i, Path bin) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-Dorg.slf4j.simpleLogger.log.io.proxplane.edge.Applier=debug",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(env.agentFlags("kill-agent", "--debounce=50ms", "--max-delay=200ms",
                "--nginx-binary=" + bin.resolve("nginx"), "--dnsmasq-binary=" + bin.resolve("dnsmasq"),
                // a paused wrapper must wait for our SIGKILL, not be timed out by the agent
                "--command-timeout=30m"));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log(i).toFile()).start();
    }

    private static void kill(Process process) throws InterruptedException {
        process.destroyForcibly(); // SIGKILL on Linux
        if (!process.waitFor(HANG_GUARD.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("agent did not die");
        }
    }

    /**
     * The sleeping wrapper outlives the killed agent (reparented): end it too. It is no longer our
     * child, so wait until it is gone or a zombie (dead; reaping is up to whoever adopted it).
     */
    private static void killPaused(long pid) throws Exception {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return;
        }
        handle.get().destroyForcibly();
        long deadline = System.nanoTime() + HANG_GUARD.toNanos();
        while (handle.get().isAlive() && !zombie(pid)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("paused wrapper " + pid + " did not die");
            }
            Thread.sleep(10);
        }
    }

    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int close = stat.lastIndexOf(')');
            return close > 0 && close + 2 < stat.length() && stat.charAt(close + 2) == 'Z';
        } catch (IOException e) {
            return true; // gone
        }
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no log)";
        }
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
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
