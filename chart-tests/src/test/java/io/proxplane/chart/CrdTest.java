package io.proxplane.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static io.proxplane.chart.ChartFixture.ciValues;
import static io.proxplane.chart.ChartFixture.render;
import static io.proxplane.chart.ChartFixture.topLevelCrdFiles;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CRDs the chart installs are exactly the ones the operator build generates into the
 * top-level crds/ (reached through the symlink charts/proxplane/files/crds), and they cover every
 * kind the chart's RBAC names, with the scope the RBAC assumes.
 */
class CrdTest {
    private static final String KEEP = "helm.sh/resource-policy";

    @TempDir
    Path dir;

    private static void requireGeneratedCrds() {
        Assumptions.assumeFalse(topLevelCrdFiles().isEmpty(),
                "top-level crds/ holds no generated <plural>.proxplane.io-v1.yml yet (the operator build writes them there);"
                        + " the CRD-to-RBAC check runs once they exist");
    }

    @Test
    void theChartReachesTheTopLevelCrdsThroughASymlink() throws IOException {
        Path link = ChartFixture.chartDir().resolve("files/crds");
        assertThat(Files.isSymbolicLink(link)).as("%s is a symlink", link).isTrue();
        assertThat(Files.isSameFile(link, ChartFixture.projectRoot().resolve("crds"))).isTrue();
    }

    @Test
    void everyKindTheChartGrantsHasAGeneratedCrdWithTheAssumedScope() {
        requireGeneratedCrds();
        Set<String> files = new TreeSet<>(topLevelCrdFiles().stream().map(p -> p.getFileName().toString()).toList());
        assertThat(files).containsExactlyInAnyOrderElementsOf(Kinds.ALL.stream().map(Kinds::crdFileName).toList());
        for (Kinds.Kind kind : Kinds.ALL) {
            JsonNode crd = ChartFixture.readYaml(ChartFixture.projectRoot().resolve("crds").resolve(Kinds.crdFileName(kind)));
            String file = Kinds.crdFileName(kind);
            assertThat(crd.path("kind").asText()).as(file).isEqualTo("CustomResourceDefinition");
            assertThat(crd.path("metadata").path("name").asText()).as(file).isEqualTo(kind.plural() + "." + Kinds.GROUP);
            JsonNode spec = crd.path("spec");
            assertThat(spec.path("group").asText()).as(file).isEqualTo(Kinds.GROUP);
            assertThat(spec.path("names").path("kind").asText()).as(file).isEqualTo(kind.kind());
            assertThat(spec.path("names").path("plural").asText()).as(file).isEqualTo(kind.plural());
            assertThat(spec.path("scope").asText())
                    .as("%s scope; the chart's RBAC (templates/_helpers.tpl proxplane.kinds and Kinds.java) assumes otherwise", file)
                    .isEqualTo(kind.clusterScoped() ? "Cluster" : "Namespaced");
            List<String> served = new ArrayList<>();
            spec.path("versions").forEach(v -> {
                if (v.path("served").asBoolean()) {
                    served.add(v.path("name").asText());
                }
            });
            assertThat(served).as(file).contains(Kinds.VERSION);
            // the RBAC grants status patch/update: the status subresource must exist
            spec.path("versions").forEach(v -> {
                if (v.path("name").asText().equals(Kinds.VERSION)) {
                    assertThat(v.path("subresources").has("status")).as("%s has a status subresource", file).isTrue();
                }
            });
        }
    }

    @Test
    void renderedCrdsAreTheGeneratedFilesPlusLabelsAndTheKeepPolicy() {
        Manifests m = render("minimal");
        List<JsonNode> rendered = m.ofKind("CustomResourceDefinition");
        assertThat(rendered).hasSize(topLevelCrdFiles().size());
        assertThat(render("minimal", Map.of("crds.enabled", false)).ofKind("CustomResourceDefinition")).isEmpty();
        requireGeneratedCrds();
        for (Path file : topLevelCrdFiles()) {
            JsonNode source = ChartFixture.readYaml(file);
            JsonNode out = m.get("CustomResourceDefinition", source.path("metadata").path("name").asText());
            assertThat(out.path("metadata").path("annotations").path(KEEP).asText()).isEqualTo("keep");
            assertThat(out.path("metadata").path("labels").path("app.kubernetes.io/managed-by").asText()).isEqualTo("Helm");
            assertThat(withoutChartMetadata(out).equals(NUMERIC, withoutChartMetadata(source)))
                    .as("%s renders unchanged apart from labels and annotations", file.getFileName()).isTrue();
        }
        Manifests notKept = render("minimal", Map.of("crds.keep", false));
        assertThat(notKept.ofKind("CustomResourceDefinition"))
                .allSatisfy(c -> assertThat(c.path("metadata").path("annotations").has(KEEP)).isFalse());
    }

    @Test
    void thePackagedChartCarriesTheCrdFilesAndRendersWithoutTheSourceTree() throws IOException {
        new Helm(ChartFixture.chartDir()).packageIt().withDestination(dir).call();
        Path archive;
        try (Stream<Path> files = Files.list(dir)) {
            archive = files.filter(p -> p.toString().endsWith(".tgz")).findFirst().orElseThrow();
        }
        assertThat(archive.getFileName().toString()).isEqualTo("proxplane-0.1.0.tgz");
        Set<String> entries = tarEntries(archive);
        assertThat(entries).contains("proxplane/Chart.yaml", "proxplane/values.yaml", "proxplane/values.schema.json",
                "proxplane/README.md");
        assertThat(entries).noneMatch(e -> e.startsWith("proxplane/ci/") || e.endsWith(".gitkeep"));
        for (Path crd : topLevelCrdFiles()) {
            assertThat(entries).contains("proxplane/files/crds/" + crd.getFileName());
        }
        Manifests fromArchive = ChartFixture.render(archive, List.of(ciValues("minimal")), Map.of());
        assertThat(fromArchive.ofKind("CustomResourceDefinition")).hasSize(topLevelCrdFiles().size());
        assertThat(fromArchive.ofKind("Deployment")).hasSize(3);
    }

    // ---------------------------------------------------------------------------------------------

    /** YAML round trips may turn 5 into 5.0: compare numbers by value. */
    private static final Comparator<JsonNode> NUMERIC = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private static JsonNode withoutChartMetadata(JsonNode crd) {
        ObjectNode copy = crd.deepCopy();
        ObjectNode metadata = (ObjectNode) copy.path("metadata");
        metadata.remove("labels");
        metadata.remove("annotations");
        return copy;
    }

    /** Names of the entries of a .tgz (ustar headers; Helm writes no long-name extensions for these paths). */
    private static Set<String> tarEntries(Path tgz) throws IOException {
        Set<String> out = new TreeSet<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(tgz))) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512) {
                String name = cString(header, 0, 100);
                if (name.isEmpty()) {
                    break;
                }
                String prefix = cString(header, 345, 155);
                long size = Long.parseLong(cString(header, 124, 12).trim().isEmpty() ? "0" : cString(header, 124, 12).trim(), 8);
                out.add(prefix.isEmpty() ? name : prefix + "/" + name);
                long padded = (size + 511) / 512 * 512;
                in.skipNBytes(padded);
            }
        }
        return out;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.US_ASCII);
    }
}
