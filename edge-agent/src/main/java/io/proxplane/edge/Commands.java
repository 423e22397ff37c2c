package io.proxplane.edge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the edge binaries. Output goes to a temporary file rather than a pipe: nginx and dnsmasq
 * daemonise, and a daemon that inherits a pipe would keep a pipe reader waiting forever.
 */
final class Commands {

    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private final Duration timeout;

    Commands(Duration timeout) {
        this.timeout = timeout;
    }

    Result run(List<String> command) {
        Path out = null;
        try {
            out = Files.createTempFile("proxplane-edge-cmd", ".out");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new ApplyException("timed out after " + timeout + ": " + String.join(" ", command));
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            return new Result(process.exitValue(), text.length() > 4000 ? text.substring(0, 4000) + "..." : text.strip());
        } catch (IOException e) {
            throw new ApplyException("could not run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApplyException("interrupted running " + String.join(" ", command), e);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a stray temp file is harmless
                }
            }
        }
    }

    /** Sends a signal with kill(1): the JDK cannot send SIGHUP itself. */
    void signal(long pid, String signal) {
        Result r = run(List.of("kill", "-s", signal, Long.toString(pid)));
        if (!r.ok()) {
            throw new ApplyException("kill -s " + signal + " " + pid + " failed: " + r.output());
        }
    }

    /**
     * The live process named by a pid file, if there is one and it still runs {@code binary}. A stale
     * pid file (process gone, or the pid reused by something else) counts as not running.
     */
    static Optional<ProcessHandle> runningFromPidFile(Path pidFile, Path binary) {
        String text;
        try {
            text = Files.readString(pidFile).strip();
        } catch (IOException e) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(text);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        return handle.filter(h -> h.info().command()
                .map(cmd -> Path.of(cmd).getFileName().toString().equals(binary.getFileName().toString()))
                // another user's process may hide its command; trust the pid file then
                .orElse(true));
    }
}
