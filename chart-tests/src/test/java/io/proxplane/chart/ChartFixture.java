package io.proxplane.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.MappingIterator;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The chart and the real Helm engine (helm-java: Helm's Go library through JNA). Renders with a
 * fixed release name, namespace and Kubernetes version, and parses the output into one JSON
 * tree per manifest.
 */
final class ChartFixture {
    static final String RELEASE = "pp";
    static final String NAMESPACE = "proxplane-system";
    /** Helm's default for `template` is v1.20.0, below the chart's kubeVersion constraint. */
    static final String KUBE_VERSION = "1.30.0";

    private static final ObjectMapper YAML = new YAMLMapper();

    private ChartFixture() {
    }

    static Path projectRoot() {
        return Path.of(System.getProperty("proxplane.project.root", "..")).toAbsolutePath().normalize();
    }

    static Path chartDir() {
        return projectRoot().resolve("charts/proxplane");
    }

    static Path ciValues(String name) {
        return chartDir().resolve("ci/" + name + "-values.yaml");
    }

    /** The generated CRD files in the repository's top-level crds/ (empty before the operator build made any). */
    static List<Path> topLevelCrdFiles() {
        Path dir = projectRoot().resolve("crds");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".proxplane.io-v1.yml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Manifests render(Path chart, List<Path> valuesFiles, Map<String, Object> sets) {
        TemplateCommand command = new Helm(chart).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        for (Path file : valuesFiles) {
            command = command.withValuesFile(file);
        }
        for (Map.Entry<String, Object> set : sets.entrySet()) {
            command = command.set(set.getKey(), set.getValue());
        }
        return Manifests.parse(command.call());
    }

    static Manifests render(String ciValuesName, Map<String, Object> sets) {
        return render(chartDir(), List.of(ciValues(ciValuesName)), sets);
    }

    static Manifests render(String ciValuesName) {
        return render(ciValuesName, Map.of());
    }

    /** Renders values that must be refused; returns Helm's error message. */
    static String renderFailure(List<Path> valuesFiles, Map<String, Object> sets) {
        try {
            Manifests m = render(chartDir(), valuesFiles, sets);
            throw new AssertionError("expected Helm to refuse the values, but it rendered " + m.all().size() + " manifests");
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    /** Writes a values file into dir and returns it. */
    static Path valuesFile(Path dir, String name, String yaml) {
        try {
            return Files.writeString(dir.resolve(name + ".yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> parseYamlStream(String text) {
        List<JsonNode> out = new ArrayList<>();
        try (JsonParser parser = new YAMLFactory().createParser(text);
             MappingIterator<JsonNode> it = YAML.readValues(parser, JsonNode.class)) {
            while (it.hasNext()) {
                JsonNode node = it.next();
                if (node != null && !node.isNull() && !node.isMissingNode() && !node.isEmpty()) {
                    out.add(node);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("rendered output is not valid YAML", e);
        }
        return out;
    }

    static JsonNode readYaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
