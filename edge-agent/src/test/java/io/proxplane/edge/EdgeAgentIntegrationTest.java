package io.proxplane.edge;

import io.proxplane.core.testing.PromtoolMetricsCheck;

import static org.assertj.core.api.Assertions.assertThat;

import io.proxplane.core.registry.ContainerAddresses;
import io.proxplane.core.registry.EdgeAgentStatus;
import io.proxplane.core.registry.ExternalDomain;
import io.proxplane.core.registry.ExternalDomainSpec;
import io.proxplane.core.registry.Service;
import io.proxplane.core.registry.ServiceSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent in this JVM against a real registry, the real nginx and the real dnsmasq: registry
 * commits show up as served routes and DNS answers; a configuration nginx rejects never goes live.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EdgeAgentIntegrationTest {
    static final String AGENT = "it-agent";
    static final Duration BOUND = Duration.ofSeconds(15);

    @TempDir
    static Path dir;
    static EdgeTestEnv env;
    static EdgeAgent agent;
    static HealthServer health;
    static ContainerAddresses app;
    static int appPort;

    @BeforeAll
    static void start() throws Exception {
        env = new EdgeTestEnv(dir);
        app = env.container("app");
        appPort = env.backend(app.ipv4(), "app");
        env.httpService(app.containerId(), "home", "home", appPort);
        agent = EdgeAgent.start(env.agentConfig(AGENT), env.registry);
        health = HealthServer.start("127.0.0.1:0", agent::ready, () -> agent.metrics().scrape());
        EdgeTestEnv.await("the first apply to serve home." + EdgeTestEnv.DOMAIN, BOUND, () -> env.get("home").status() == 200);
    }

    @AfterAll
    static void stop() {
        if (health != null) {
            health.close();
        }
        if (agent != null) {
            agent.close();
        }
        if (env != null) {
            env.close();
        }
    }

    @Test
    @Order(1)
    void aCommittedHttpServiceIsServedThroughNginx() throws Exception {
        assertThat(env.get("web").status()).as("not routed before the commit").isEqualTo(404);
        Service web = env.httpService(app.containerId(), "web", "web", appPort);

        EdgeTestEnv.await("nginx to route web." + EdgeTestEnv.DOMAIN, BOUND, () -> env.get("web").status() == 200);
        assertThat(env.get("web").body()).isEqualTo("backend app host=web." + EdgeTestEnv.DOMAIN);

        EdgeTestEnv.await("the applied revision to be recorded", BOUND, () -> env.status(AGENT)
                .map(s -> s.appliedRevision() != null && s.appliedRevision() >= web.meta().revision()).orElse(false));
        EdgeAgentStatus status = env.status(AGENT).orElseThrow();
        assertThat(status.lastError()).isNull();
        assertThat(status.siteId()).isEqualTo(env.site.id());
        assertThat(env.nginxTestLive().exitCode()).isZero();
    }

    @Test
    @Order(2)
    void dnsmasqAnswersForANewContainerAndItsSrvRecord() throws Exception {
        assertThat(env.dig("db1." + EdgeTestEnv.SITE_DOMAIN, "A")).isEmpty();
        ContainerAddresses db1 = env.container("db1");
        EdgeTestEnv.await("dnsmasq to answer db1", BOUND, () -> env.dig("db1." + EdgeTestEnv.SITE_DOMAIN, "A").equals(db1.ipv4()));

        env.registry.services().upsert(EdgeTestEnv.MANAGER, ServiceSpec.dnsSrv(db1.containerId(), "pg", "_postgresql", "tcp", 5432));
        EdgeTestEnv.await("dnsmasq to answer the SRV record", BOUND, () -> env.dig("_postgresql._tcp." + EdgeTestEnv.SITE_DOMAIN, "SRV")
                .equals("0 0 5432 db1." + EdgeTestEnv.SITE_DOMAIN + "."));
        assertThat(agent.metrics().reloads("dnsmasq")).isGreaterThanOrEqualTo(2);
    }

    @Test
    @Order(3)
    void anUnchangedRenderDoesNotReload() throws Exception {
        long nginxReloads = agent.metrics().reloads("nginx");
        long dnsmasqReloads = agent.metrics().reloads("dnsmasq");
        long unchanged = agent.metrics().applies("unchanged");
        // a containers-table change that reaches no config line
        env.registry.containers().recordObserved(EdgeTestEnv.MANAGER, app.containerId(), "running", "pve1");

        EdgeTestEnv.await("an apply with unchanged output", BOUND, () -> agent.metrics().applies("unchanged") > unchanged);
        assertThat(agent.metrics().reloads("nginx")).isEqualTo(nginxReloads);
        assertThat(agent.metrics().reloads("dnsmasq")).isEqualTo(dnsmasqReloads);
    }

    @Test
    @Order(4)
    void aConfigurationNginxRejectsKeepsTheOldOneServingAndIsRecorded() throws Exception {
        Path liveBefore = Files.readSymbolicLink(env.nginxDir.resolve("live"));
        long failuresBefore = agent.metrics().applies("failed");
        // Valid for the registry and the model, but nginx cannot load the certificate.
        ExternalDomain broken = env.registry.externalDomains().upsert(EdgeTestEnv.MANAGER, new ExternalDomainSpec("broken.test",
                env.site.id(), new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                        .put("certificate_file", dir.resolve("missing.crt").toString())
                        .put("key_file", dir.resolve("missing.key").toString()), null));
        Service bad = env.registry.services().upsert(EdgeTestEnv.MANAGER,
                ServiceSpec.http(app.containerId(), "bad", "bad", broken.id(), "http", false, appPort));

        EdgeTestEnv.await("the error to be recorded", BOUND, () -> env.status(AGENT)
                .map(s -> s.lastError() != null && s.lastError().contains("nginx -t")).orElse(false));
        assertThat(env.status(AGENT).orElseThrow().lastError()).contains("missing.crt");
        assertThat(agent.metrics().applies("failed")).isGreaterThan(failuresBefore);
        assertThat(agent.ready()).isFalse();
        assertThat(Files.readSymbolicLink(env.nginxDir.resolve("live"))).isEqualTo(liveBefore);
        assertThat(env.nginxTestLive().exitCode()).isZero();
        assertThat(env.get("web").status()).isEqualTo(200);
        assertThat(env.get("home").status()).isEqualTo(200);
        try (var versions = Files.list(env.nginxDir)) {
            assertThat(versions.filter(p -> p.getFileName().toString().startsWith("r")).count())
                    .as("rejected versions are removed").isLessThanOrEqualTo(2);
        }

        env.registry.services().delete(EdgeTestEnv.MANAGER, bad.id());
        env.registry.externalDomains().delete(EdgeTestEnv.MANAGER, broken.id());
        long fixed = env.registry.currentRevision();
        EdgeTestEnv.await("recovery after the fix", Duration.ofSeconds(30), () -> env.status(AGENT)
                .map(s -> s.lastError() == null && s.appliedRevision() != null && s.appliedRevision() >= fixed).orElse(false));
        EdgeTestEnv.await("readiness after the fix", BOUND, agent::ready);
    }

    @Test
    @Order(5)
    void healthReadinessAndMetricsAreServed() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + health.port();
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(200);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/readyz")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(200);
        String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics)
                .contains("proxplane_edge_applies_total{result=\"applied\"}")
                .contains("proxplane_edge_feed_connected 1")
                .contains("proxplane_edge_last_apply_success 1")
                .contains("proxplane_edge_commit_to_apply_seconds_count")
                .contains("proxplane_edge_last_applied_revision " + env.status(AGENT).orElseThrow().appliedRevision());
        PromtoolMetricsCheck.assertValid(metrics);
    }
}
