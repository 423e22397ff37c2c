package io.proxplane.core.edge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Locates the real nginx, dnsmasq and dig binaries. A missing binary fails the test with the
 * Debian packages to install: these tests must never pass by skipping.
 */
final class EdgeBinaries {

    static final String PACKAGES = "nginx libnginx-mod-stream dnsmasq-base bind9-dnsutils";
    static final Path STREAM_MODULE = Path.of("/usr/lib/nginx/modules/ngx_stream_module.so");

    private EdgeBinaries() {
    }

    static Path require(String name) {
        List<Path> candidates = new ArrayList<>();
        String pathVariable = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String dir : pathVariable.split(":")) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, name));
            }
        }
        candidates.add(Path.of("/usr/sbin", name));
        candidates.add(Path.of("/usr/bin", name));
        for (Path candidate : candidates) {
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("The '" + name + "' binary is required by this test but was not found in PATH, "
                + "/usr/sbin or /usr/bin. Install the Debian packages: apt-get install " + PACKAGES
                + " (CI's .ci/run installs them).");
    }

    /** Output of {@code nginx -V}: the configure arguments show which modules are built in. */
    static String nginxBuildInfo(Path nginx) {
        return run(List.of(nginx.toString(), "-V"), 20).output();
    }

    /**
     * The dynamic modules a Debian nginx needs for the rendered config, after checking that http_v2,
     * auth_request and stream are available at all.
     */
    static List<Path> requiredModules(Path nginx) {
        String info = nginxBuildInfo(nginx);
        for (String module : List.of("--with-http_v2_module", "--with-http_auth_request_module")) {
            if (!info.contains(module)) {
                throw new AssertionError("nginx at " + nginx + " lacks " + module + "; nginx -V says:\n" + info);
            }
        }
        if (info.contains("--with-stream=dynamic")) {
            if (!Files.isRegularFile(STREAM_MODULE)) {
                throw new AssertionError("nginx builds stream as a dynamic module but " + STREAM_MODULE
                        + " is missing; install libnginx-mod-stream");
            }
            return List.of(STREAM_MODULE);
        }
        if (!info.contains("--with-stream")) {
            throw new AssertionError("nginx at " + nginx + " has no stream module; nginx -V says:\n" + info);
        }
        return List.of();
    }

    record Result(int exitCode, String output) {
    }

    /** Runs a short command to completion, stdout and stderr merged. */
    static Result run(List<String> command, int timeoutSeconds) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("could not run " + command + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command, e);
        }
    }

    static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
