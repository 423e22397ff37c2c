package io.proxplane.edge;

import io.proxplane.core.edge.EdgeSnapshot;
import io.proxplane.core.edge.NginxConfig;
import io.proxplane.core.edge.NginxRenderer;
import io.proxplane.core.edge.NginxSettings;
import io.proxplane.core.model.ConfigPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * nginx's three files, swapped as one. Each configuration is written into its own version
 * directory {@code <dir>/r<revision>-<random>} whose {@code nginx.conf} includes that directory's
 * {@code http.conf} and {@code stream.conf} by absolute path. nginx runs with
 * {@code -c <dir>/live/nginx.conf}, where {@code live} is a symlink to the current version; the
 * switch is one {@code rename(2)} of a new symlink over {@code live}. nginx therefore sees the old
 * set or the new set, never a mixture, whenever it (re)reads its configuration, and an agent killed
 * at any point leaves {@code live} on a complete, validated version.
 */
final class NginxTarget {
    private static final Logger log = LoggerFactory.getLogger(NginxTarget.class);
    static final String LIVE = "live";
    static final String VERSION_PREFIX = "r";

    /** A rendered version not yet live. */
    record Candidate(Path directory, NginxConfig config, String digest) {}

    private final Path binary;
    private final Path dir;
    private final Path runtimeDir;
    private final NginxSettings settings;
    private final Commands commands;
    private final boolean manageProcess;
    private String liveDigest;

    NginxTarget(Path binary, Path dir, Path runtimeDir, NginxSettings settings, Commands commands, boolean manageProcess) {
        this.binary = binary;
        this.dir = dir;
        this.runtimeDir = runtimeDir;
        this.settings = settings;
        this.commands = commands;
        this.manageProcess = manageProcess;
    }

    Path live() {
        return dir.resolve(LIVE);
    }

    Path liveMainConfig() {
        return live().resolve(NginxConfig.NGINX_CONF);
    }

    Path pidFile() {
        return runtimeDir.resolve("nginx.pid");
    }

    /** Creates the directories and forgets unfinished versions left by an earlier, killed agent. */
    void prepareDirectories() {
        try {
            Files.createDirectories(dir);
            Files.createDirectories(runtimeDir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create " + dir + " or " + runtimeDir + ": " + e.getMessage(), e);
        }
        cleanup();
        liveDigest = readLiveDigest().orElse(null);
    }

    /** Digest of what {@code live} holds now; empty when there is no live version yet. */
    Optional<String> liveDigest() {
        return Optional.ofNullable(liveDigest);
    }

    private Optional<String> readLiveDigest() {
        Path target = liveTarget().orElse(null);
        if (target == null) {
            return Optional.empty();
        }
        try {
            List<String> parts = new ArrayList<>();
            for (String name : List.of(NginxConfig.HTTP_CONF, NginxConfig.NGINX_CONF, NginxConfig.STREAM_CONF)) {
                parts.add(Files.readString(target.resolve(name)));
            }
            return Optional.of(FileOps.digest(parts, target.toString()));
        } catch (IOException e) {
            log.warn("live nginx version {} is unreadable ({}); the next apply replaces it", target, e.getMessage());
            return Optional.empty();
        }
    }

    /** The version directory {@code live} points to. */
    Optional<Path> liveTarget() {
        try {
            if (!Files.isSymbolicLink(live())) {
                return Optional.empty();
            }
            return Optional.of(dir.resolve(Files.readSymbolicLink(live())).normalize());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    Candidate render(EdgeSnapshot snapshot) {
        Path version = dir.resolve(VERSION_PREFIX + snapshot.revision() + "-" + FileOps.randomSuffix());
        NginxSettings forVersion = settings.withDirectories(ConfigPath.of("nginx-dir", version.toString()),
                settings.runtimeDirectory());
        NginxConfig config = NginxRenderer.render(snapshot, forVersion);
        // files() is in name order: http.conf, nginx.conf, stream.conf (same order as readLiveDigest)
        String digest = FileOps.digest(config.files().values(), version.toString());
        return new Candidate(version, config, digest);
    }

    void write(Candidate candidate) {
        try {
            Files.createDirectory(candidate.directory());
        } catch (IOException e) {
            throw new UncheckedIOException("could not create " + candidate.directory() + ": " + e.getMessage(), e);
        }
        for (Map.Entry<String, String> file : candidate.config().files().entrySet()) {
            FileOps.writeDurably(candidate.directory().resolve(file.getKey()), file.getValue());
        }
        FileOps.syncDirectory(candidate.directory());
    }

    /** {@code nginx -t} on the candidate's own main file, which includes only the candidate's files. */
    void validate(Candidate candidate) {
        check(candidate).ifPresent(message -> {
            throw new ApplyException(message);
        });
    }

    /** As {@link #validate}, returning nginx's refusal instead of throwing it. */
    Optional<String> check(Candidate candidate) {
        Commands.Result r = commands.run(command("-t", "-c", candidate.directory().resolve(NginxConfig.NGINX_CONF).toString()));
        if (!r.ok()) {
            return Optional.of("nginx -t rejected the configuration of " + candidate.directory().getFileName()
                    + " (exit " + r.exitCode() + "): " + r.output());
        }
        return Optional.empty();
    }

    /** Points {@code live} at the candidate with one atomic rename. */
    void activate(Candidate candidate) {
        Path tmp = dir.resolve(".live-" + FileOps.randomSuffix());
        try {
            Files.createSymbolicLink(tmp, candidate.directory().getFileName());
            Files.move(tmp, live(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            // the version directory's mtime orders versions for clean-up
            Files.setLastModifiedTime(candidate.directory(), FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException e) {
            throw new UncheckedIOException("could not switch " + live() + " to " + candidate.directory() + ": " + e.getMessage(), e);
        }
        FileOps.syncDirectory(dir);
        liveDigest = candidate.digest();
    }

    void discard(Candidate candidate) {
        try {
            FileOps.deleteTree(candidate.directory());
        } catch (UncheckedIOException e) {
            log.warn("could not remove rejected nginx version {}: {}", candidate.directory(), e.getMessage());
        }
    }

    /**
     * Makes the running nginx read {@code live}: SIGHUP to the master named by the pid file, or a
     * start when none runs (and the agent manages the process). Returns what was done.
     */
    String reload() {
        Optional<ProcessHandle> master = Commands.runningFromPidFile(pidFile(), binary);
        if (master.isPresent()) {
            commands.signal(master.get().pid(), "HUP");
            return "reloaded";
        }
        if (!manageProcess) {
            log.warn("nginx is not running (pid file {}); it will load {} when started", pidFile(), liveMainConfig());
            return "not running";
        }
        // nginx binds its listeners before it daemonises, so exit 0 means it is serving.
        Commands.Result r = commands.run(command("-c", liveMainConfig().toString()));
        if (!r.ok()) {
            throw new ApplyException("nginx failed to start with " + liveMainConfig() + " (exit " + r.exitCode() + "): " + r.output());
        }
        return "started";
    }

    /**
     * Starts nginx on {@code live} when no master runs (it crashed, or the host rebooted) and the
     * agent manages the process. Returns whether it started one.
     */
    boolean ensureRunning() {
        if (!manageProcess || liveTarget().isEmpty() || Commands.runningFromPidFile(pidFile(), binary).isPresent()) {
            return false;
        }
        reload();
        return true;
    }

    List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "-p", runtimeDir.toString() + "/",
                "-e", runtimeDir.resolve("error.log").toString()));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Removes versions other than the live one and the one before it (kept for inspection), and
     * stray temporary symlinks. Unfinished versions of a killed agent go here too.
     */
    void cleanup() {
        Optional<Path> current = liveTarget();
        try (var entries = Files.list(dir)) {
            List<Path> versions = new ArrayList<>();
            for (Path p : entries.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith(".live-")) {
                    Files.deleteIfExists(p);
                } else if (name.startsWith(VERSION_PREFIX) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                        && current.map(c -> !c.equals(p)).orElse(true)) {
                    versions.add(p);
                }
            }
            versions.sort(Comparator.comparing(NginxTarget::modified).reversed());
            // keep the most recent non-live version only if a live one exists (it is the previous one)
            for (int i = current.isPresent() ? 1 : 0; i < versions.size(); i++) {
                FileOps.deleteTree(versions.get(i));
            }
        } catch (IOException | UncheckedIOException e) {
            log.warn("clean-up of {} failed: {}", dir, e.getMessage());
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
