package io.proxplane.edge;

import io.proxplane.core.edge.DnsmasqRenderer;
import io.proxplane.core.edge.DnsmasqSettings;
import io.proxplane.core.edge.EdgeSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * dnsmasq's single file {@code <dir>/dnsmasq.conf}: the candidate is written beside it under a
 * temporary name, checked with {@code dnsmasq --test}, and renamed over it.
 *
 * <p>dnsmasq is <em>restarted</em>, not sent SIGHUP: on SIGHUP it re-reads only /etc/hosts,
 * addn-hosts, dhcp-hostsfile/optsfile and the resolv file, never its main configuration, where
 * our host-record, srv-host, dhcp-range and dhcp-host lines live. A restart costs a few
 * milliseconds without DNS; DHCP leases survive in the lease file. It happens only when the
 * rendered content changed.
 */
final class DnsmasqTarget {
    private static final Logger log = LoggerFactory.getLogger(DnsmasqTarget.class);
    static final String FILE = "dnsmasq.conf";

    record Candidate(Path file, String content, String digest) {}

    private final Path binary;
    private final Path dir;
    private final Path pidFile;
    private final Optional<String> user;
    private final DnsmasqSettings settings;
    private final Commands commands;
    private final boolean manageProcess;
    private String liveDigest;

    DnsmasqTarget(Path binary, Path dir, Path pidFile, Optional<String> user, DnsmasqSettings settings, Commands commands,
            boolean manageProcess) {
        this.binary = binary;
        this.dir = dir;
        this.pidFile = pidFile;
        this.user = user;
        this.settings = settings;
        this.commands = commands;
        this.manageProcess = manageProcess;
    }

    Path live() {
        return dir.resolve(FILE);
    }

    Path pidFile() {
        return pidFile;
    }

    void prepareDirectories() {
        try {
            Files.createDirectories(dir);
            Files.createDirectories(pidFile.getParent());
            try (var entries = Files.list(dir)) {
                for (Path p : entries.toList()) {
                    if (p.getFileName().toString().startsWith("." + FILE + ".")) {
                        Files.deleteIfExists(p);
                    }
                }
            }
            liveDigest = Files.exists(live()) ? FileOps.digest(List.of(Files.readString(live())), null) : null;
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare " + dir + ": " + e.getMessage(), e);
        }
    }

    Optional<String> liveDigest() {
        return Optional.ofNullable(liveDigest);
    }

    Candidate render(EdgeSnapshot snapshot) {
        String content = DnsmasqRenderer.render(snapshot, settings);
        return new Candidate(dir.resolve("." + FILE + "." + FileOps.randomSuffix() + ".tmp"), content,
                FileOps.digest(List.of(content), null));
    }

    void write(Candidate candidate) {
        FileOps.writeDurably(candidate.file(), candidate.content());
    }

    void validate(Candidate candidate) {
        Commands.Result r = commands.run(List.of(binary.toString(), "--test", "--conf-file=" + candidate.file()));
        if (!r.ok()) {
            throw new ApplyException("dnsmasq --test rejected the configuration (exit " + r.exitCode() + "): " + r.output());
        }
    }

    void activate(Candidate candidate) {
        try {
            Files.move(candidate.file(), live(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("could not rename " + candidate.file() + " to " + live() + ": " + e.getMessage(), e);
        }
        FileOps.syncDirectory(dir);
        liveDigest = candidate.digest();
    }

    void discard(Candidate candidate) {
        try {
            Files.deleteIfExists(candidate.file());
        } catch (IOException e) {
            log.warn("could not remove rejected dnsmasq candidate {}: {}", candidate.file(), e.getMessage());
        }
    }

    /** Polls: ProcessHandle.onExit() of a process that is not our child polls with long intervals. */
    private static boolean awaitExit(ProcessHandle process, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (process.isAlive() && !zombie(process.pid())) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !process.isAlive() || zombie(process.pid());
            }
        }
        return true;
    }

    /**
     * The daemon's parent is init (or whatever runs as pid 1 in a container), which may reap late;
     * an exited but unreaped process has released its sockets, so it counts as gone.
     */
    static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int close = stat.lastIndexOf(')');
            return close > 0 && close + 2 < stat.length() && stat.charAt(close + 2) == 'Z';
        } catch (IOException e) {
            return true;
        }
    }

    /** Stops the running dnsmasq (if any) and starts it on the live file. */
    String restart() {
        Optional<ProcessHandle> running = Commands.runningFromPidFile(pidFile, binary);
        if (running.isEmpty() && !manageProcess) {
            log.warn("dnsmasq is not running (pid file {}); it will load {} when started", pidFile, live());
            return "not running";
        }
        if (running.isPresent()) {
            ProcessHandle process = running.get();
            commands.signal(process.pid(), "TERM");
            if (!awaitExit(process, 10_000)) {
                commands.signal(process.pid(), "KILL");
                if (!awaitExit(process, 5_000)) {
                    throw new ApplyException("dnsmasq (pid " + process.pid() + ") did not stop");
                }
            }
        }
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--conf-file=" + live(), "--pid-file=" + pidFile));
        user.ifPresent(u -> command.add("--user=" + u));
        // dnsmasq reports start-up errors (a port in use, a bad lease file) through its exit status
        // before the daemon detaches, so exit 0 means it is answering.
        Commands.Result r = commands.run(command);
        if (!r.ok()) {
            throw new ApplyException("dnsmasq failed to start with " + live() + " (exit " + r.exitCode() + "): " + r.output());
        }
        return running.isPresent() ? "restarted" : "started";
    }

    /**
     * Starts dnsmasq on the live file when none runs (it crashed, or the host rebooted) and the
     * agent manages the process. Returns whether it started one.
     */
    boolean ensureRunning() {
        if (!manageProcess || !Files.isRegularFile(live()) || Commands.runningFromPidFile(pidFile, binary).isPresent()) {
            return false;
        }
        restart();
        return true;
    }
}
