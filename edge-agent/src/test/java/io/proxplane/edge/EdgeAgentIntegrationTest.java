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
import java.util.List;
import io.proxplane.core.registry.SiteSpec;
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
    void aBadRowOrAnUnloadableCertificateTakesOutOnlyItsOwnRoutes() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        // Rows written past the front doors (the registry's own checks allow them): a path nginx
        // would read as two tokens, with a line break that would forge a log line if echoed ...
        ExternalDomain badPath = env.registry.externalDomains().upsert(EdgeTestEnv.MANAGER, new ExternalDomainSpec("badpath.test",
                env.site.id(), json.createObjectNode().put("certificateFile", "/etc/ssl/a;b.crt\nINFO forged")
                        .put("keyFile", "/etc/ssl/a.key"), null));
        // ... and a domain whose certificate nginx cannot load (valid for every front door)
        ExternalDomain broken = env.registry.externalDomains().upsert(EdgeTestEnv.MANAGER, new ExternalDomainSpec("broken.test",
                env.site.id(), json.createObjectNode().put("certificateFile", dir.resolve("missing.crt").toString())
                        .put("keyFile", dir.resolve("missing.key").toString()), null));
        Service bad = env.registry.services().upsert(EdgeTestEnv.MANAGER,
                ServiceSpec.http(app.containerId(), "bad", "bad", broken.id(), "http", false, appPort));
        Service bad2 = env.registry.services().upsert(EdgeTestEnv.MANAGER,
                ServiceSpec.http(app.containerId(), "bad2", "bad2", badPath.id(), "http", false, appPort));
        // an unrelated new hostname committed after them
        Service fresh = env.httpService(app.containerId(), "fresh", "fresh", appPort);

        EdgeTestEnv.await("nginx to serve the new hostname beside the bad rows", BOUND, () -> env.get("fresh").status() == 200);
        EdgeTestEnv.await("the applied revision to be recorded", BOUND, () -> env.status(AGENT)
                .map(s -> s.appliedRevision() != null && s.appliedRevision() >= fresh.meta().revision()).orElse(false));
        EdgeAgentStatus status = env.status(AGENT).orElseThrow();
        assertThat(status.lastError()).isNull();
        assertThat(status.skipped()).extracting(EdgeAgentStatus.Skipped::name)
                .contains("badpath.test", "broken.test", "app/bad2", "bad.broken.test");
        assertThat(status.skipped()).filteredOn(k -> k.name().equals("broken.test")).singleElement()
                .satisfies(k -> assertThat(k.reason()).contains("missing.crt"));
        assertThat(status.skipped()).filteredOn(k -> k.name().equals("badpath.test")).singleElement()
                .satisfies(k -> assertThat(k.reason()).contains("tls_source.certificateFile").doesNotContain("\n"));
        assertThat(agent.ready()).isTrue();
        HealthServer.Readiness readiness = agent.readiness();
        assertThat(readiness.detail()).contains("external domain 'broken.test' skipped", "missing.crt");
        assertThat(readiness.detail().lines()).noneMatch(l -> l.startsWith("INFO forged"));
        assertThat(agent.metrics().scrape())
                .contains("proxplane_edge_skipped_object{kind=\"external domain\",name=\"broken.test\"} 1")
                .contains("proxplane_edge_skipped_object{kind=\"service\",name=\"app/bad2\"} 1");
        assertThat(env.nginxTestLive().exitCode()).isZero();
        assertThat(env.get("web").status()).isEqualTo(200);
        assertThat(env.get("home").status()).isEqualTo(200);

        env.registry.services().delete(EdgeTestEnv.MANAGER, bad.id());
        env.registry.services().delete(EdgeTestEnv.MANAGER, bad2.id());
        env.registry.externalDomains().delete(EdgeTestEnv.MANAGER, broken.id());
        env.registry.externalDomains().delete(EdgeTestEnv.MANAGER, badPath.id());
        long fixed = env.registry.currentRevision();
        EdgeTestEnv.await("the skipped objects to clear after the fix", Duration.ofSeconds(30), () -> env.status(AGENT)
                .map(s -> s.skipped().isEmpty() && s.appliedRevision() != null && s.appliedRevision() >= fixed).orElse(false));
        assertThat(agent.readiness().detail()).isEmpty();
    }

    @Test
    @Order(5)
    void aCertificateOnlyNginxRefusesIsLeftOutByTheNameInItsMessage() throws Exception {
        // parses and matches its key, so the agent's own check passes; OpenSSL 3 refuses the key size
        Path weakCert = dir.resolve("weak.crt");
        Path weakKey = dir.resolve("weak.key");
        EdgeTestEnv.Result made = EdgeTestEnv.run(List.of("openssl", "req", "-x509", "-newkey", "rsa:512", "-nodes",
                "-keyout", weakKey.toString(), "-out", weakCert.toString(), "-days", "2", "-subj", "/CN=weak.test"), 60);
        assertThat(made.exitCode()).as(made.output()).isZero();
        ExternalDomain weak = env.registry.externalDomains().upsert(EdgeTestEnv.MANAGER, new ExternalDomainSpec("weak.test",
                env.site.id(), new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                        .put("certificateFile", weakCert.toString()).put("keyFile", weakKey.toString()), null));
        Service fresh2 = env.httpService(app.containerId(), "fresh2", "fresh2", appPort);

        EdgeTestEnv.await("nginx to serve the new hostname", BOUND, () -> env.get("fresh2").status() == 200);
        EdgeTestEnv.await("the weak domain to be reported", BOUND, () -> env.status(AGENT)
                .map(s -> s.skipped().stream().anyMatch(k -> k.name().equals("weak.test"))).orElse(false));
        assertThat(env.status(AGENT).orElseThrow().skipped()).filteredOn(k -> k.name().equals("weak.test")).singleElement()
                .satisfies(k -> assertThat(k.reason()).contains("nginx cannot load its certificate", weakCert.toString()));
        assertThat(env.status(AGENT).orElseThrow().lastError()).isNull();
        env.registry.externalDomains().delete(EdgeTestEnv.MANAGER, weak.id());
        env.registry.services().delete(EdgeTestEnv.MANAGER, fresh2.id());
    }

    @Test
    @Order(6)
    void aSiteWideErrorKeepsTheOldConfigurationServingAndSaysWhy() throws Exception {
        Path liveBefore = Files.readSymbolicLink(env.nginxDir.resolve("live"));
        long failuresBefore = agent.metrics().applies("failed");
        SiteSpec good = env.site.spec();
        // without its DHCP range the site cannot be rendered at all
        env.registry.sites().upsert(EdgeTestEnv.MANAGER, new SiteSpec(good.name(), good.dnsDomain(), good.networkCidr(),
                good.gateway(), null, null, good.reservedRanges(), good.dnsForwarders(), good.bridge(), good.proxmoxEndpoints(),
                good.placementPolicy(), good.nodeOverrides()));
        EdgeTestEnv.await("the error to be recorded", BOUND, () -> env.status(AGENT)
                .map(s -> s.lastError() != null && s.lastError().contains("site.dhcp_start")).orElse(false));
        assertThat(agent.metrics().applies("failed")).isGreaterThan(failuresBefore);
        assertThat(agent.ready()).isFalse();
        assertThat(agent.readiness().detail()).startsWith("last apply failed").contains("site.dhcp_start");
        assertThat(Files.readSymbolicLink(env.nginxDir.resolve("live"))).isEqualTo(liveBefore);
        assertThat(env.get("web").status()).isEqualTo(200);

        env.registry.sites().upsert(EdgeTestEnv.MANAGER, good);
        long fixed = env.registry.currentRevision();
        EdgeTestEnv.await("recovery after the fix", Duration.ofSeconds(90), () -> env.status(AGENT)
                .map(s -> s.lastError() == null && s.appliedRevision() != null && s.appliedRevision() >= fixed).orElse(false));
        EdgeTestEnv.await("readiness after the fix", BOUND, agent::ready);
    }

    @Test
    @Order(7)
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

    @Test
    @Order(8)
    void aCrashedNginxOrDnsmasqIsStartedAgainWithoutWaitingForAChange() throws Exception {
        long nginxPid = Long.parseLong(Files.readString(env.runtimeDir.resolve("nginx.pid")).strip());
        long restarts = agent.metrics().processRestarts("nginx");
        // the whole nginx dies: master first (so it cannot respawn a worker), then its workers
        ProcessHandle master = ProcessHandle.of(nginxPid).orElseThrow();
        List<ProcessHandle> all = new java.util.ArrayList<>(List.of(master));
        all.addAll(master.descendants().toList());
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle h : all) {
            h.onExit().get(1, java.util.concurrent.TimeUnit.MINUTES);
        }
        EdgeTestEnv.await("nginx to serve again", Duration.ofMinutes(2), () -> env.get("web").status() == 200);
        // counted right after the start returns
        EdgeTestEnv.await("the restart to be counted", Duration.ofMinutes(2), () -> agent.metrics().processRestarts("nginx") > restarts);
        assertThat(Long.parseLong(Files.readString(env.runtimeDir.resolve("nginx.pid")).strip())).isNotEqualTo(nginxPid);

        Path dnsmasqPid = env.dir.resolve("dnsmasq-run/dnsmasq.pid");
        long dnsPid = Long.parseLong(Files.readString(dnsmasqPid).strip());
        ProcessHandle dns = ProcessHandle.of(dnsPid).orElseThrow();
        dns.destroyForcibly();
        dns.onExit().get(1, java.util.concurrent.TimeUnit.MINUTES);
        EdgeTestEnv.await("dnsmasq to answer again", Duration.ofMinutes(2),
                () -> env.dig("db1." + EdgeTestEnv.SITE_DOMAIN, "A").startsWith("127.77."));
        EdgeTestEnv.await("the dnsmasq restart to be counted", Duration.ofMinutes(2), () -> agent.metrics().processRestarts("dnsmasq") > 0);
        assertThat(agent.metrics().scrape()).contains("proxplane_edge_process_restarts_total{target=\"nginx\"}");
    }

    @Test
    @Order(9)
    void proxmoxNodesArePublishedInDns() throws Exception {
        assertThat(env.dig("pve1." + EdgeTestEnv.SITE_DOMAIN, "A")).isEmpty();
        env.registry.siteNodes().replace(env.site.id(), java.util.Map.of("pve1", "127.77.0.2", "pve2", "127.77.0.3"));
        EdgeTestEnv.await("dnsmasq to answer for the nodes", BOUND, () -> env.dig("pve1." + EdgeTestEnv.SITE_DOMAIN, "A")
                .equals("127.77.0.2") && env.dig("pve2." + EdgeTestEnv.SITE_DOMAIN, "A").equals("127.77.0.3"));
    }
}
