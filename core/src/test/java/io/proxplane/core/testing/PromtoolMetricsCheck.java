package io.proxplane.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs Prometheus' own {@code promtool check metrics} (Debian package prometheus, installed by
 * bin/install-prerequisites) on a /metrics scrape: the exposition parses and passes its lint.
 * In core's test-jar, so the operator, the LDAP gateway and the edge-agent share one check.
 */
public final class PromtoolMetricsCheck {
    private PromtoolMetricsCheck() {
    }

    public static void assertValid(String scrape) throws Exception {
        assertValid(scrape, java.util.List.of());
    }

    /**
     * As {@link #assertValid(String)}, but lint findings (promtool exit status 3, never a parse
     * error) on lines matching one of {@code tolerated} are accepted: names and help of meters
     * that libraries register (JOSDK, Micrometer's standard binders), which we do not rename.
     */
    public static void assertValid(String scrape, java.util.List<java.util.regex.Pattern> tolerated) throws Exception {
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
        if (p.exitValue() == 3 && !tolerated.isEmpty()) {
            java.util.List<String> findings = out.lines().filter(l -> !l.isBlank())
                    .filter(l -> tolerated.stream().noneMatch(t -> t.matcher(l).matches())).toList();
            assertThat(findings).as("promtool check metrics findings not tolerated:\n" + out).isEmpty();
            return;
        }
        assertThat(p.exitValue()).as("promtool check metrics:\n" + out).isZero();
    }
}
