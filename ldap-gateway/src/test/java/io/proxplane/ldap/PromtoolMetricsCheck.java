package io.proxplane.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs Prometheus' own {@code promtool check metrics} (Debian package prometheus, installed by
 * bin/install-prerequisites) on a /metrics scrape: the exposition parses and passes its lint.
 */
final class PromtoolMetricsCheck {
    private PromtoolMetricsCheck() {
    }

    static void assertValid(String scrape) throws Exception {
        String promtool = null;
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "promtool");
            if (Files.isExecutable(candidate)) {
                promtool = candidate.toString();
                break;
            }
        }
        assertThat(promtool).as("promtool on PATH (Debian package prometheus; bin/install-prerequisites installs it)").isNotNull();
        Process p = new ProcessBuilder(promtool, "check", "metrics").redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(scrape.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as("promtool check metrics:\n" + out).isZero();
    }
}
