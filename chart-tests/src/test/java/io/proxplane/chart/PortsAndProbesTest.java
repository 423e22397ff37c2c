package io.proxplane.chart;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.proxplane.chart.ChartFixture.projectRoot;
import static io.proxplane.chart.ChartFixture.render;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Services, probes and settings point at what each component really serves: the options and HTTP
 * paths are read from the components' own sources (the operator's from its process contract, and
 * from its sources once they exist), the ports from the environment the chart gives them.
 */
class PortsAndProbesTest {

    /** The operator's process contract (environment it reads; paths it serves). */
    static final Set<String> OPERATOR_ENV = Set.of("PROXPLANE_REGISTRY_URL", "PROXPLANE_REGISTRY_USER", "PROXPLANE_REGISTRY_PASSWORD",
            "PROXPLANE_WATCH_NAMESPACES", "PROXPLANE_LEADER_ELECTION", "PROXPLANE_LEADER_ELECTION_NAMESPACE",
            "PROXPLANE_LEADER_ELECTION_LEASE", "POD_NAME", "POD_NAMESPACE", "PROXPLANE_HTTP_PORT", "PROXPLANE_RESYNC_INTERVAL");
    static final Set<String> OPERATOR_PATHS = Set.of("/metrics", "/healthz", "/readyz");

    @Test
    void probesUseTheComponentsRealHealthPathsOnTheirConfiguredPorts() {
        Map<String, Set<String>> served = Map.of(
                "operator", OPERATOR_PATHS,
                "ldap", httpPaths("ldap-gateway/src/main/java/io/proxplane/ldap/ops/OpsHttpServer.java"),
                "edge", httpPaths("edge-agent/src/main/java/io/proxplane/edge/HealthServer.java"));
        assertThat(served.get("ldap")).containsAll(OPERATOR_PATHS);
        assertThat(served.get("edge")).containsAll(OPERATOR_PATHS);
        for (String values : List.of("minimal", "full", "hostnetwork")) {
            Manifests m = render(values);
            for (String component : served.keySet()) {
                JsonNode container = Manifests.containers(m.requireDeployment(component).path("spec").path("template")).getFirst();
                int listening = healthPort(component, container);
                List<String> httpProbes = component.equals("edge") ? List.of("startupProbe", "livenessProbe")
                        : List.of("startupProbe", "livenessProbe", "readinessProbe");
                for (String probe : httpProbes) {
                    JsonNode get = container.path(probe).path("httpGet");
                    assertThat(get.isMissingNode()).as("%s %s in %s", component, probe, values).isFalse();
                    assertThat(served.get(component)).as("%s %s path", component, probe).contains(get.path("path").asText());
                    assertThat(resolvePort(container, get.path("port"), "TCP")).as("%s %s port", component, probe).isEqualTo(listening);
                }
                // liveness must not depend on the database: a registry outage must not restart every pod
                assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/healthz");
                if (component.equals("edge")) {
                    // ready while nginx serves, whatever the registry's state (docs/helm.md)
                    int https = Integer.parseInt(Manifests.env(container, "PROXPLANE_EDGE_NGINX_HTTPS_PORT").orElseThrow());
                    assertThat(resolvePort(container, container.path("readinessProbe").path("tcpSocket").path("port"), "TCP"))
                            .as("edge readiness on nginx's HTTPS port in %s", values).isEqualTo(https);
                } else {
                    assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/readyz");
                }
            }
        }
    }

    @Test
    void environmentNamesAreOptionsTheComponentsKnow() {
        Set<String> ldapOptions = options("ldap-gateway/src/main/java/io/proxplane/ldap/Main.java", "PROXPLANE_LDAP_");
        Set<String> edgeOptions = options("edge-agent/src/main/java/io/proxplane/edge/AgentConfig.java", "PROXPLANE_EDGE_");
        assertThat(ldapOptions).contains("PROXPLANE_LDAP_REGISTRY_URL");
        assertThat(edgeOptions).contains("PROXPLANE_EDGE_SITE");
        for (String values : List.of("minimal", "full", "hostnetwork")) {
            Manifests m = render(values);
            assertThat(envNames(m, "ldap")).filteredOn(n -> n.startsWith("PROXPLANE_")).isSubsetOf(ldapOptions);
            assertThat(envNames(m, "edge")).filteredOn(n -> n.startsWith("PROXPLANE_")).isSubsetOf(edgeOptions);
            assertThat(envNames(m, "operator")).filteredOn(n -> !n.equals("JAVA_TOOL_OPTIONS") && !n.equals("TZ"))
                    .containsExactlyInAnyOrderElementsOf(OPERATOR_ENV);
        }
    }

    @Test
    void theOperatorSourcesReadTheEnvironmentTheChartSets() {
        Path sources = projectRoot().resolve("operator/src/main/java");
        Assumptions.assumeTrue(Files.isDirectory(sources),
                "operator/src/main/java does not exist on this branch yet: the chart is checked against the process contract only");
        String all = readTree(sources);
        for (String name : OPERATOR_ENV) {
            assertThat(all).as("the operator reads %s", name).contains("\"" + name + "\"");
        }
        for (String path : OPERATOR_PATHS) {
            assertThat(all).as("the operator serves %s", path).contains("\"" + path + "\"");
        }
    }

    @Test
    void everyServicePortReachesAContainerPortOfThePodsItSelects() {
        for (String values : List.of("minimal", "full", "hostnetwork")) {
            Manifests m = render(values);
            for (JsonNode service : m.ofKind("Service")) {
                JsonNode selector = service.path("spec").path("selector");
                List<JsonNode> pods = m.podTemplates().stream().filter(p -> matches(selector, p.path("metadata").path("labels"))).toList();
                assertThat(pods).as("pods of Service %s", service.path("metadata").path("name").asText()).hasSize(1);
                JsonNode container = Manifests.containers(pods.getFirst()).getFirst();
                for (JsonNode port : service.path("spec").path("ports")) {
                    String protocol = port.path("protocol").asText("TCP");
                    assertThat(resolvePort(container, port.path("targetPort"), protocol))
                            .as("%s port %s", service.path("metadata").path("name").asText(), port.path("name").asText())
                            .isPositive();
                }
            }
        }
    }

    @Test
    void ldapServiceOffers389And636OnTheGatewaysListeners() {
        Manifests m = render("minimal");
        JsonNode container = Manifests.containers(m.requireDeployment("ldap").path("spec").path("template")).getFirst();
        JsonNode service = m.get("Service", "pp-proxplane-ldap");
        Map<Integer, Integer> forwarded = new java.util.TreeMap<>();
        service.path("spec").path("ports").forEach(p -> forwarded.put(p.path("port").asInt(), resolvePort(container, p.path("targetPort"), "TCP")));
        int ldap = Integer.parseInt(Manifests.env(container, "PROXPLANE_LDAP_LDAP_PORT").orElseThrow());
        int ldaps = Integer.parseInt(Manifests.env(container, "PROXPLANE_LDAP_LDAPS_PORT").orElseThrow());
        assertThat(forwarded).containsExactly(Map.entry(389, ldap), Map.entry(636, ldaps));
        assertThat(service.path("spec").path("type").asText()).isEqualTo("LoadBalancer");
        // retried binds reach the replica holding their pending push and failure count
        assertThat(service.path("spec").path("sessionAffinity").asText()).isEqualTo("ClientIP");
        assertThat(service.path("spec").path("externalTrafficPolicy").asText()).isEqualTo("Local");
        // the TLS material the gateway is told to read is mounted from the Secret
        assertThat(Manifests.env(container, "PROXPLANE_LDAP_TLS_CERT")).contains("/etc/proxplane/tls/tls.crt");
        assertThat(mountedFrom(m.requireDeployment("ldap"), container, "/etc/proxplane/tls/tls.crt")).contains("secret proxplane-ldap-tls");
        assertThat(mountedFrom(m.requireDeployment("ldap"), container, "/etc/proxplane/registry/password")).contains("secret proxplane-registry");
    }

    @Test
    void edgeServiceExposesHttpsAndTheStreamPortWindow() {
        Manifests m = render("full"); // 20 TCP and 5 UDP stream ports from 2000
        JsonNode container = Manifests.containers(m.requireDeployment("edge").path("spec").path("template")).getFirst();
        JsonNode service = m.get("Service", "pp-proxplane-edge");
        Set<String> exposed = new TreeSet<>();
        for (JsonNode p : service.path("spec").path("ports")) {
            int target = resolvePort(container, p.path("targetPort"), p.path("protocol").asText());
            exposed.add(p.path("protocol").asText() + "/" + p.path("port").asInt() + "->" + target);
        }
        Set<String> expected = new TreeSet<>();
        expected.add("TCP/443->" + Manifests.env(container, "PROXPLANE_EDGE_NGINX_HTTPS_PORT").orElseThrow());
        expected.add("TCP/80->" + Manifests.env(container, "PROXPLANE_EDGE_NGINX_HTTP_PORT").orElseThrow());
        for (int i = 0; i < 20; i++) {
            expected.add("TCP/" + (2000 + i) + "->" + (2000 + i));
        }
        for (int i = 0; i < 5; i++) {
            expected.add("UDP/" + (2000 + i) + "->" + (2000 + i));
        }
        assertThat(exposed).containsExactlyElementsOf(expected);
        // redirects name the port clients use
        assertThat(Manifests.env(container, "PROXPLANE_EDGE_NGINX_PUBLIC_HTTPS_PORT")).contains("443");
        // certificates where edge-agent looks for <domain>.crt / <domain>.key
        assertThat(Manifests.env(container, "PROXPLANE_EDGE_TLS_CERTIFICATE_DIR")).contains("/etc/proxplane-edge/tls");
        assertThat(mountedFrom(m.requireDeployment("edge"), container, "/etc/proxplane-edge/tls/apps.example.com.key"))
                .contains("projected secret apps-example-com-tls");
        // the agent's state is on the emptyDir
        assertThat(Manifests.env(container, "PROXPLANE_EDGE_NGINX_DIR")).hasValueSatisfying(d -> assertThat(d).startsWith("/var/lib/proxplane-edge/"));
        assertThat(mountedFrom(m.requireDeployment("edge"), container, "/var/lib/proxplane-edge/nginx")).contains("emptyDir");
    }

    @Test
    void hostNetworkEdgeHasNoFrontServiceButItsMetricsService() {
        Manifests m = render("hostnetwork");
        assertThat(m.find("Service", "pp-proxplane-edge")).isEmpty();
        assertThat(m.find("Service", "pp-proxplane-edge-metrics")).isPresent();
        JsonNode container = Manifests.containers(m.requireDeployment("edge").path("spec").path("template")).getFirst();
        assertThat(Manifests.env(container, "PROXPLANE_EDGE_NGINX_HTTPS_PORT")).contains("443");
        assertThat(Manifests.env(container, "PROXPLANE_EDGE_NGINX_PUBLIC_HTTPS_PORT")).contains("443");
        assertThat(Manifests.env(container, "PROXPLANE_EDGE_DNSMASQ_PORT")).contains("53");
        // dnsmasq binds the node's own address, beside a node-local resolver on port 53
        JsonNode listen = java.util.stream.StreamSupport.stream(container.path("env").spliterator(), false)
                .filter(e -> e.path("name").asText().equals("PROXPLANE_EDGE_DNSMASQ_LISTEN")).findFirst().orElseThrow();
        assertThat(listen.path("valueFrom").path("fieldRef").path("fieldPath").asText()).isEqualTo("status.hostIP");
        assertThat(Manifests.containerPort(container, "dns-udp").orElseThrow().path("protocol").asText()).isEqualTo("UDP");
    }

    @Test
    void serviceMonitorsScrapeNamedPortsOfTheMetricsServices() {
        Manifests m = render("full");
        for (JsonNode sm : m.ofKind("ServiceMonitor")) {
            JsonNode selector = sm.path("spec").path("selector").path("matchLabels");
            List<JsonNode> services = m.ofKind("Service").stream().filter(s -> matches(selector, s.path("metadata").path("labels"))).toList();
            assertThat(services).as(sm.path("metadata").path("name").asText()).hasSize(1);
            String port = sm.path("spec").path("endpoints").get(0).path("port").asText();
            assertThat(services.getFirst().path("spec").path("ports").findValuesAsText("name")).contains(port);
            assertThat(sm.path("spec").path("endpoints").get(0).path("path").asText()).isEqualTo("/metrics");
        }
    }

    @Test
    void alertsUseMetricsTheComponentsExportAndServicesTheChartCreates() {
        Manifests m = render("full");
        JsonNode rule = m.ofKind("PrometheusRule").getFirst();
        Set<String> exported = new TreeSet<>();
        Matcher edge = Pattern.compile("\"(proxplane_edge_[a-z_]+)\"")
                .matcher(read(projectRoot().resolve("edge-agent/src/main/java/io/proxplane/edge/AgentMetrics.java")));
        while (edge.find()) {
            exported.add(edge.group(1));
        }
        // ldap-gateway renders Micrometer names as proxplane_ + name with dots as underscores
        Matcher ldap = Pattern.compile("Gauge\\.builder\\(\"(ldap\\.[a-z.]+)\"")
                .matcher(read(projectRoot().resolve("ldap-gateway/src/main/java/io/proxplane/ldap/directory/SnapshotRefresher.java")));
        while (ldap.find()) {
            exported.add("proxplane_" + ldap.group(1).replace('.', '_'));
        }
        assertThat(exported).contains("proxplane_edge_last_apply_success", "proxplane_ldap_snapshot_staleness_seconds");
        Set<String> services = new TreeSet<>(m.ofKind("Service").stream().map(s -> s.path("metadata").path("name").asText()).toList());
        Set<String> alerts = new TreeSet<>();
        for (JsonNode r : rule.path("spec").path("groups").get(0).path("rules")) {
            String expr = r.path("expr").asText();
            alerts.add(r.path("alert").asText());
            Matcher metric = Pattern.compile("\\b(proxplane_[a-z_]+)\\{").matcher(expr);
            while (metric.find()) {
                assertThat(exported).as("alert %s uses %s", r.path("alert").asText(), metric.group(1)).contains(metric.group(1));
            }
            Matcher service = Pattern.compile("service=\"([^\"]+)\"").matcher(expr);
            while (service.find()) {
                assertThat(services).as("alert %s watches Service %s", r.path("alert").asText(), service.group(1)).contains(service.group(1));
            }
        }
        assertThat(alerts).containsExactlyInAnyOrder("ProxplaneComponentDown", "ProxplaneEdgeApplyFailing",
                "ProxplaneEdgeFeedDisconnected", "ProxplaneLdapSnapshotStale");
        assertThat(render("minimal").ofKind("PrometheusRule")).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------

    private static int healthPort(String component, JsonNode container) {
        return switch (component) {
            case "operator" -> Integer.parseInt(Manifests.env(container, "PROXPLANE_HTTP_PORT").orElseThrow());
            case "ldap" -> Integer.parseInt(Manifests.env(container, "PROXPLANE_LDAP_HTTP_PORT").orElseThrow());
            case "edge" -> {
                String listen = Manifests.env(container, "PROXPLANE_EDGE_HTTP_LISTEN").orElseThrow();
                assertThat(listen).as("edge-agent must listen beyond loopback for the kubelet").startsWith("0.0.0.0:");
                yield Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
            }
            default -> throw new IllegalArgumentException(component);
        };
    }

    /** The container port a Service/probe port refers to (by name or number), or -1. */
    static int resolvePort(JsonNode container, JsonNode ref, String protocol) {
        for (JsonNode p : container.path("ports")) {
            boolean same = ref.isNumber() ? p.path("containerPort").asInt() == ref.asInt() : p.path("name").asText().equals(ref.asText());
            if (same && p.path("protocol").asText("TCP").equals(protocol)) {
                return p.path("containerPort").asInt();
            }
        }
        return -1;
    }

    private static boolean matches(JsonNode selector, JsonNode labels) {
        if (selector.isEmpty()) {
            return false;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = selector.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }

    /** Where a file path inside the container comes from: "secret <name>", "projected <names>" or "emptyDir". */
    private static Optional<String> mountedFrom(JsonNode deployment, JsonNode container, String file) {
        for (JsonNode mount : container.path("volumeMounts")) {
            String at = mount.path("mountPath").asText();
            if (!file.startsWith(at + "/")) {
                continue;
            }
            String rel = file.substring(at.length() + 1);
            for (JsonNode v : deployment.path("spec").path("template").path("spec").path("volumes")) {
                if (!v.path("name").asText().equals(mount.path("name").asText())) {
                    continue;
                }
                if (v.has("emptyDir")) {
                    return Optional.of("emptyDir");
                }
                if (v.has("secret") && v.path("secret").path("items").findValuesAsText("path").contains(rel)) {
                    return Optional.of("secret " + v.path("secret").path("secretName").asText());
                }
                for (JsonNode source : v.path("projected").path("sources")) {
                    if (source.path("secret").path("items").findValuesAsText("path").contains(rel)) {
                        return Optional.of("projected secret " + source.path("secret").path("name").asText());
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static List<String> envNames(Manifests m, String component) {
        JsonNode container = Manifests.containers(m.requireDeployment(component).path("spec").path("template")).getFirst();
        List<String> out = new ArrayList<>();
        container.path("env").forEach(e -> out.add(e.path("name").asText()));
        return out;
    }

    private static Set<String> httpPaths(String source) {
        Set<String> out = new TreeSet<>();
        Matcher matcher = Pattern.compile("createContext\\(\"(/[a-z]+)\"").matcher(read(projectRoot().resolve(source)));
        while (matcher.find()) {
            out.add(matcher.group(1));
        }
        return out;
    }

    private static Set<String> options(String source, String prefix) {
        Set<String> out = new TreeSet<>();
        Matcher matcher = Pattern.compile("OPTIONS\\.put\\(\"([a-z0-9-]+)\"").matcher(read(projectRoot().resolve(source)));
        while (matcher.find()) {
            out.add(prefix + matcher.group(1).toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        }
        return out;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readTree(Path dir) {
        StringBuilder out = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(p -> out.append(read(p)).append('\n'));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
