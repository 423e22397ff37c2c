package io.proxplane.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One platform component run as its own JVM from its runnable jar, as it runs in production:
 * its log goes to a file, readiness is a probe of what it serves, stop is SIGTERM (its own
 * shutdown hook closes it), then SIGKILL after a grace period.
 */
final class Daemon implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private Daemon(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static Daemon start(String name, Path jar, List<String> args, Map<String, String> env, Path logDir) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(name + ": " + jar + " is missing; build with `mvn -DskipTests package` first");
        }
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        // Small single-user daemons: the serial collector keeps their footprint and start-up low.
        command.add("-XX:+UseSerialGC");
        // Timestamped lines (the components log through slf4j-simple), so a log that spans several
        // runs can be read against the console and the other logs.
        command.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
        command.add("-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(args);
        // The log is appended to across runs: a separator says where this run starts.
        Files.writeString(log, separator(name, java.time.OffsetDateTime.now()), java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        return new Daemon(name, pb.start(), log);
    }

    static String separator(String name, java.time.OffsetDateTime now) {
        return "%n===== %s: %s started by bin/proxplane-local =====%n".formatted(
                now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS), name);
    }

    /** Waits until {@code ready} holds; fails with the end of the log if the process dies or time runs out. */
    void awaitReady(BooleanSupplier ready, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with status " + process.exitValue() + "; its log ends:\n" + tail());
            }
            if (ready.getAsBoolean()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + " s; its log ends:\n" + tail());
    }

    Path log() {
        return log;
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
