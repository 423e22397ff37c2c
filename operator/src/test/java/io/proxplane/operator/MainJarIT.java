package io.proxplane.operator;

import io.proxplane.core.testing.PromtoolMetricsCheck;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.proxplane.operator.api.SecretKeyRef;
import io.proxplane.operator.api.Site;
import io.proxplane.operator.api.SiteSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.proxplane.operator.OperatorFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The process contract the Helm chart relies on, run as the chart runs it: {@code java -jar
 * target/proxplane-operator.jar} configured only by environment variables, talking to the API
 * server named by a kubeconfig (here the mock server), leader-elected, serving its probes and
 * metrics, stopping on SIGTERM; and refusing bad configuration with the variable's name.
 */
class MainJarIT {
    static final Path JAR = Path.of("target/proxplane-operator.jar");
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static OperatorFixture f;

    @BeforeAll
    static void up() {
        f = new OperatorFixture("pve");
    }

    @AfterAll
    static void down() {
        if (f != null) f.close();
    }

    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static int get(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Test
    void badConfigurationStopsTheProcessNamingTheVariable() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(java(), "-jar", JAR.toString()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("PROXPLANE_"));
        pb.environment().put("PROXPLANE_REGISTRY_URL", "jdbc:postgresql://127.0.0.1:5432/x");
        pb.environment().put("PROXPLANE_REGISTRY_USER", "postgres");
        pb.environment().put("PROXPLANE_LEADER_ELECTION", "false");
        pb.environment().put("PROXPLANE_HTTP_PORT", "not-a-port");
        Process p = pb.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(new String(p.getInputStream().readAllBytes())).contains("PROXPLANE_HTTP_PORT: 'not-a-port' is not a port number");
    }

    /** Starts the jar as the chart does, with its own Lease name; returns the process once /readyz answers 200. */
    static Process startJar(String lease, Path log, int port) throws IOException {
        Path kubeconfig = Files.createTempFile("kubeconfig", ".yaml");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "%s"}}]
                users: [{name: operator, user: {token: test}}]
                contexts: [{name: mock, context: {cluster: mock, user: operator, namespace: default}}]
                current-context: mock
                """.formatted(f.client.getConfiguration().getMasterUrl()));
        ProcessBuilder pb = new ProcessBuilder(java(), "-jar", JAR.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("PROXPLANE_") || k.startsWith("KUBERNETES_"));
        env.put("KUBECONFIG", kubeconfig.toString());
        env.put("PROXPLANE_REGISTRY_URL", f.db.jdbcUrl());
        env.put("PROXPLANE_REGISTRY_USER", TestDb.USER);
        if (!TestDb.PASSWORD.isEmpty()) env.put("PROXPLANE_REGISTRY_PASSWORD", TestDb.PASSWORD);
        env.put("POD_NAME", "proxplane-operator-0");
        env.put("POD_NAMESPACE", OperatorFixture.SYSTEM_NS);
        env.put("PROXPLANE_HTTP_PORT", String.valueOf(port));
        env.put("PROXPLANE_RESYNC_INTERVAL", "PT10S");
        env.put("PROXPLANE_LEADER_ELECTION_LEASE", lease);
        Process p = pb.start();
        String base = "http://127.0.0.1:" + port;
        await("/readyz answers 200", Duration.ofSeconds(60), () -> p.isAlive() ? get(base + "/readyz") : -2,
                s -> s == 200 || s == -2);
        assertThat(p.isAlive()).as("process alive; log: " + log.toAbsolutePath()).isTrue();
        return p;
    }

    static String holder(String lease) {
        Lease l = f.client.leases().inNamespace(OperatorFixture.SYSTEM_NS).withName(lease).get();
        return l == null ? null : l.getSpec().getHolderIdentity();
    }

    /** A replica that can no longer renew its Lease must stop reconciling: it exits (1) and is restarted. */
    @Test
    void aLeaderThatLosesTheLeaseExits() throws Exception {
        Process p = startJar("stolen-lease", Path.of("target/main-jar-it-lease.log"), freePort());
        try {
            await("the jar holds the Lease", Duration.ofSeconds(30), () -> holder("stolen-lease"), "proxplane-operator-0"::equals);
            // the leader renews every few hundred ms: retry our write on a version conflict
            await("the Lease taken over", Duration.ofSeconds(30), () -> {
                try {
                    f.client.leases().inNamespace(OperatorFixture.SYSTEM_NS).withName("stolen-lease").edit(l -> {
                        l.getSpec().setHolderIdentity("someone-else");
                        l.getSpec().setLeaseDurationSeconds(3600);
                        l.getSpec().setRenewTime(java.time.ZonedDateTime.now());
                        return l;
                    });
                    return true;
                } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                    if (e.getCode() != 409) throw e;
                    return false;
                }
            }, Boolean::booleanValue);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("exits after failing to renew").isTrue();
            assertThat(p.exitValue()).isEqualTo(1);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void theJarRunsTheOperatorFromTheEnvironment() throws Exception {
        assertThat(JAR).as("the shaded jar (built in package, before this integration test)").exists();
        int port = freePort();
        Process p = startJar("proxplane-operator", Path.of("target/main-jar-it.log"), port);
        try {
            String base = "http://127.0.0.1:" + port;
            assertThat(get(base + "/healthz")).isEqualTo(200);
            await("the jar holds the Lease", Duration.ofSeconds(30), () -> holder("proxplane-operator"),
                    "proxplane-operator-0"::equals);

            f.client.resource(f.tokenSecret(OperatorFixture.SYSTEM_NS, "pve-token")).create();
            Site site = new Site();
            site.setMetadata(new ObjectMetaBuilder().withName("lab").build());
            site.setSpec(new SiteSpec());
            site.getSpec().dnsDomain = "lab.internal";
            site.getSpec().networkCidr = "10.40.0.0/24";
            site.getSpec().gateway = "10.40.0.1";
            var endpoint = new SiteSpec.ProxmoxEndpoint();
            endpoint.url = f.sim.baseUrl();
            endpoint.credentialsSecretRef = new SecretKeyRef(OperatorFixture.SYSTEM_NS, "pve-token", null);
            site.getSpec().proxmoxEndpoints = List.of(endpoint);
            f.client.resource(site).create();
            await("Site Ready through the jar", Duration.ofSeconds(60), () -> f.client.resources(Site.class).withName("lab").get(),
                    OperatorFixture::ready);

            String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("proxplane_operator_reconciles_total{kind=\"Site\",result=\"ready\"}")
                    .contains("jvm_memory_used_bytes");
            // The scrape parses; lint findings only on meters JOSDK and Micrometer's JVM/process
            // binders name and register (standard names dashboards know); ours must be clean.
            PromtoolMetricsCheck.assertValid(metrics, java.util.List.of(
                    java.util.regex.Pattern.compile("operator_sdk_\\w+ no help text"),
                    java.util.regex.Pattern.compile("process_cpu_time_ns_total metric names should not contain abbreviated units"),
                    java.util.regex.Pattern.compile("system_cpu_count non-histogram and non-summary metrics should not have \"_count\" suffix")));
            assertThat(metrics).contains("# HELP proxplane_operator_reconciles_total");
        } finally {
            p.destroy(); // SIGTERM, as the kubelet sends
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
        }
        // released on the way out: the next leader of a rolling restart need not wait out the lease
        assertThat(holder("proxplane-operator")).isNull();
    }
}
