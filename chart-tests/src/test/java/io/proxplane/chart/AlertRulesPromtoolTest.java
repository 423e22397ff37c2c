package io.proxplane.chart;

import static io.proxplane.chart.ChartFixture.chartDir;
import static io.proxplane.chart.ChartFixture.render;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart's PrometheusRule, rendered by the real Helm engine (values ci/full-values.yaml,
 * release pp in proxplane-system), checked by Prometheus' own promtool: {@code check rules}, then
 * {@code test rules} over the unit tests in charts/proxplane/tests/alerts/, which must cover every
 * alert the chart renders. promtool comes from Debian's prometheus package
 * (bin/install-prerequisites).
 */
class AlertRulesPromtoolTest {

    private static final Path WORK = Path.of("target/alerts").toAbsolutePath();

    @Test
    void renderedRulesPassPromtoolCheckAndEveryAlertHasAUnitTest() throws Exception {
        JsonNode rule = render("full").ofKind("PrometheusRule").getFirst();
        Files.createDirectories(WORK);
        // promtool reads a rules file: the PrometheusRule's spec (groups) is exactly that format.
        Path rules = WORK.resolve("rules.yaml");
        new YAMLMapper().writeValue(rules.toFile(), rule.path("spec"));
        assertThat(promtool("check", "rules", rules.toString())).contains("SUCCESS");

        Set<String> alerts = new TreeSet<>();
        for (JsonNode group : rule.path("spec").path("groups")) {
            for (JsonNode r : group.path("rules")) {
                alerts.add(r.path("alert").asText());
            }
        }
        assertThat(alerts).isNotEmpty();

        List<Path> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(chartDir().resolve("tests/alerts"))) {
            files.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(tests::add);
        }
        Set<String> tested = new TreeSet<>();
        Pattern alertname = Pattern.compile("alertname:\\s*(\\S+)");
        for (Path test : tests) {
            // Test files name rules.yaml beside them: run them from the work directory.
            Path copy = WORK.resolve(test.getFileName());
            Files.copy(test, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Matcher m = alertname.matcher(Files.readString(test));
            while (m.find()) {
                tested.add(m.group(1));
            }
            assertThat(promtool("test", "rules", copy.toString())).as(test.toString()).contains("SUCCESS");
        }
        assertThat(tested).as("alerts with a promtool unit test in charts/proxplane/tests/alerts").containsAll(alerts);
    }

    /** Runs promtool, asserting exit status 0; returns its output. */
    static String promtool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(promtoolBinary());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("promtool " + String.join(" ", args) + ":\n" + text).isZero();
        return text;
    }

    static String promtoolBinary() throws IOException {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new AssertionError("promtool not found on PATH: install Debian's prometheus package (bin/install-prerequisites does)");
    }
}
