package io.proxplane.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static io.proxplane.chart.ChartFixture.NAMESPACE;
import static io.proxplane.chart.ChartFixture.render;
import static io.proxplane.chart.ChartFixture.renderFailure;
import static org.assertj.core.api.Assertions.assertThat;

/** Lint, and what the chart renders for the minimal values, every feature, and the defaults. */
class ChartRenderTest {

    @Test
    void lintsCleanInStrictMode() {
        LintResult result = new Helm(ChartFixture.chartDir()).lint().strict().call();
        assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
        assertThat(result.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
    }

    @Test
    void defaultValuesAloneNameTheFirstMissingValue() {
        // The chart cannot guess the database: installing with no values must say what is missing.
        String error = renderFailure(List.of(), Map.of());
        assertThat(error).contains("registry.url is required");
    }

    @Test
    void eachRequiredValueIsNamedWhenMissing() {
        assertThat(renderFailure(List.of(ChartFixture.ciValues("minimal")), Map.of("registry.existingSecret", "")))
                .contains("registry.existingSecret is required");
        assertThat(renderFailure(List.of(ChartFixture.ciValues("minimal")), Map.of("ldap.domain", "")))
                .contains("ldap.baseDn or ldap.domain is required");
        assertThat(renderFailure(List.of(ChartFixture.ciValues("minimal")), Map.of("ldap.tls.secretName", "")))
                .contains("ldap.tls.secretName is required");
        assertThat(renderFailure(List.of(ChartFixture.ciValues("minimal")), Map.of("edge.site", "")))
                .contains("edge.site is required");
    }

    @Test
    void minimalValuesRenderTheThreeComponentsWithDefaults() {
        Manifests m = render("minimal");
        assertThat(m.ofKind("Deployment")).hasSize(3);
        assertThat(m.requireDeployment("operator").path("spec").path("replicas").asInt()).isEqualTo(1);
        assertThat(m.requireDeployment("edge").path("spec").path("replicas").asInt()).isEqualTo(2);
        // no optional extras by default
        assertThat(m.ofKind("ServiceMonitor")).isEmpty();
        assertThat(m.ofKind("NetworkPolicy")).isEmpty();
        assertThat(m.ofKind("Certificate")).isEmpty();
        // one replica of the operator: no PDB for it (it would block every drain)
        assertThat(m.ofKind("PodDisruptionBudget")).extracting(p -> p.path("metadata").path("labels")
                .path("app.kubernetes.io/component").asText()).containsExactlyInAnyOrder("ldap", "edge");
        // everything namespaced lands in the release namespace
        m.all().stream().filter(o -> o.path("metadata").has("namespace")
                        && !o.path("kind").asText().matches("Role|RoleBinding"))
                .forEach(o -> assertThat(o.path("metadata").path("namespace").asText()).as(o.toString()).isEqualTo(NAMESPACE));
        JsonNode operator = Manifests.containers(m.requireDeployment("operator").path("spec").path("template")).getFirst();
        assertThat(operator.path("image").asText()).isEqualTo("proxplane/operator:0.1.0");
    }

    @Test
    void ldapGatewayRunsTwoReplicasSpreadAndProtectedByADisruptionBudget() {
        Manifests m = render("minimal");
        JsonNode ldap = m.requireDeployment("ldap");
        assertThat(ldap.path("spec").path("replicas").asInt()).isEqualTo(2);
        JsonNode selector = ldap.path("spec").path("selector").path("matchLabels");
        JsonNode pdb = m.ofKind("PodDisruptionBudget").stream()
                .filter(p -> p.path("spec").path("selector").path("matchLabels").equals(selector)).findFirst()
                .orElseThrow(() -> new AssertionError("no PodDisruptionBudget selects the LDAP gateway's pods"));
        assertThat(pdb.path("spec").path("minAvailable").asInt()).isEqualTo(1);
        JsonNode spread = ldap.path("spec").path("template").path("spec").path("topologySpreadConstraints");
        assertThat(spread).hasSize(1);
        assertThat(spread.get(0).path("topologyKey").asText()).isEqualTo("kubernetes.io/hostname");
        assertThat(spread.get(0).path("labelSelector").path("matchLabels")).isEqualTo(selector);
        // a rolling update never takes a serving replica away first
        assertThat(ldap.path("spec").path("strategy").path("rollingUpdate").path("maxUnavailable").asInt()).isZero();
    }

    @Test
    void everyOptionalFeatureRenders() {
        Manifests m = render("full");
        assertThat(m.ofKind("ServiceMonitor")).hasSize(3).allSatisfy(sm -> {
            assertThat(sm.path("metadata").path("labels").path("release").asText()).isEqualTo("prometheus");
            assertThat(sm.path("spec").path("selector").path("matchLabels").path("proxplane.io/metrics").asText()).isEqualTo("true");
        });
        assertThat(m.ofKind("NetworkPolicy")).hasSize(3);
        JsonNode certificate = m.get("Certificate", "pp-proxplane-ldap-tls");
        assertThat(certificate.path("spec").path("secretName").asText()).isEqualTo("pp-proxplane-ldap-tls");
        assertThat(StreamSupport.stream(certificate.path("spec").path("dnsNames").spliterator(), false).map(JsonNode::asText))
                .contains("ldap.cluster.example.internal", "pp-proxplane-ldap." + NAMESPACE + ".svc");
        assertThat(m.ofKind("PodDisruptionBudget")).hasSize(3);
        // image registry, tag and digest
        JsonNode operator = Manifests.containers(m.requireDeployment("operator").path("spec").path("template")).getFirst();
        assertThat(operator.path("image").asText()).isEqualTo("registry.example.com/platform/proxplane/operator:0.1.0"
                + "@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
        assertThat(Manifests.env(operator, "PROXPLANE_WATCH_NAMESPACES")).contains("team-a,team-b");
        assertThat(Manifests.env(operator, "PROXPLANE_LEADER_ELECTION_NAMESPACE")).contains("proxplane-system");
        assertThat(Manifests.env(operator, "JAVA_TOOL_OPTIONS"))
                .contains("-XX:MaxRAMPercentage=75 -Djava.io.tmpdir=/tmp -XX:+UseSerialGC");
        JsonNode edgeContainer = Manifests.containers(m.requireDeployment("edge").path("spec").path("template")).getFirst();
        assertThat(Manifests.env(edgeContainer, "JAVA_TOOL_OPTIONS")).contains("-XX:MaxRAMPercentage=50 -Djava.io.tmpdir=/tmp");
        assertThat(Manifests.env(operator, "TZ")).contains("UTC");
        // per-component database roles
        JsonNode ldap = Manifests.containers(m.requireDeployment("ldap").path("spec").path("template")).getFirst();
        assertThat(Manifests.env(ldap, "PROXPLANE_LDAP_REGISTRY_USER")).contains("proxplane_ldap");
        assertThat(Manifests.env(ldap, "PROXPLANE_LDAP_PRIMARY_GID")).contains("10000");
        assertThat(Manifests.env(ldap, "PROXPLANE_LDAP_BASE_DN")).contains("dc=cluster,dc=example,dc=internal");
        assertThat(Manifests.env(ldap, "PROXPLANE_LDAP_PUSH_URL")).contains("https://push.example.com/api/send");
        assertThat(Manifests.env(operator, "PROXPLANE_REGISTRY_USER")).contains("proxplane_operator");
        // every object carries the common labels; every pod the pull secret
        assertThat(m.all()).allSatisfy(o -> assertThat(o.path("metadata").path("labels").path("team").asText())
                .as(o.path("kind").asText() + "/" + o.path("metadata").path("name").asText()).isEqualTo("platform"));
        assertThat(m.podTemplates()).allSatisfy(p -> assertThat(p.path("spec").path("imagePullSecrets").get(0).path("name").asText())
                .isEqualTo("registry-pull"));
        // edge certificates: one projected source per external domain, named as edge-agent expects
        JsonNode edgePod = m.requireDeployment("edge").path("spec").path("template").path("spec");
        JsonNode tls = StreamSupport.stream(edgePod.path("volumes").spliterator(), false)
                .filter(v -> v.path("name").asText().equals("tls")).findFirst().orElseThrow();
        assertThat(tls.path("projected").path("sources").findValuesAsText("path"))
                .containsExactly("apps.example.com.crt", "apps.example.com.key", "internal.example.com.crt", "internal.example.com.key");
    }

    @Test
    void disablingAComponentRemovesAllItsObjects() {
        Manifests m = render("minimal", Map.of("edge.enabled", false, "ldap.enabled", false));
        assertThat(m.all()).noneMatch(o -> o.path("metadata").path("labels").path("app.kubernetes.io/component").asText()
                .matches("edge|ldap"));
        assertThat(m.requireDeployment("operator")).isNotNull();
        // an edge-only release (second site) needs neither the LDAP settings nor the operator
        Manifests edgeOnly = render(ChartFixture.chartDir(), List.of(), Map.of("operator.enabled", false, "ldap.enabled", false,
                "crds.enabled", false, "registry.url", "jdbc:postgresql://db:5432/proxplane", "registry.existingSecret", "db",
                "edge.site", "second"));
        assertThat(edgeOnly.ofKind("Deployment")).hasSize(1);
        assertThat(edgeOnly.ofKind("ClusterRole")).isEmpty();
        assertThat(edgeOnly.ofKind("CustomResourceDefinition")).isEmpty();
    }

    @Test
    void theReadmeDocumentsEveryValue() throws java.io.IOException {
        JsonNode values = ChartFixture.readYaml(ChartFixture.chartDir().resolve("values.yaml"));
        String readme = java.nio.file.Files.readString(ChartFixture.chartDir().resolve("README.md"));
        List<String> leaves = new java.util.ArrayList<>();
        collectLeaves(values, "", leaves);
        assertThat(leaves).hasSizeGreaterThan(100);
        for (String leaf : leaves) {
            // a leaf is documented by its own row or by the row of a block that contains it
            boolean documented = false;
            for (String path = leaf; !documented && !path.isEmpty(); path = path.contains(".") ? path.substring(0, path.lastIndexOf('.')) : "") {
                documented = readme.contains("| `" + path + "` |");
            }
            assertThat(documented).as("README.md documents %s", leaf).isTrue();
        }
    }

    private static void collectLeaves(JsonNode node, String path, List<String> out) {
        if (node.isObject() && !node.isEmpty()) {
            node.fields().forEachRemaining(e -> collectLeaves(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out));
        } else {
            out.add(path);
        }
    }
}
