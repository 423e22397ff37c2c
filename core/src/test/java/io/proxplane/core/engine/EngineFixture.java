package io.proxplane.core.engine;

import io.proxplane.core.engine.spec.ContainerSpec;
import io.proxplane.core.engine.spec.SiteSpec;
import io.proxplane.core.proxmox.ProxmoxClient;
import io.proxplane.core.proxmox.RetryPolicy;
import io.proxplane.core.proxmox.TlsTrust;
import io.proxplane.core.registry.TestDatabase;
import io.proxplane.pvesim.PveSimulator;
import io.proxplane.pvesim.junit.PveSimulatorExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A real PostgreSQL database and a simulated 3-node cluster, wired to an engine. */
final class EngineFixture implements AutoCloseable {
    static final String K8S = "k8s:team-a/lab";
    static final String TF = "terraform:prod";
    static final String SITE = "lab";
    static final List<String> NODES = List.of("pve1", "pve2", "pve3");

    final TestDatabase db;
    final PveSimulator sim;
    final Engine engine;
    final ProxmoxClient admin;

    EngineFixture() {
        this(PveSimulatorExtension.testDefaults().nodes(NODES.toArray(String[]::new)).build().start());
    }

    EngineFixture(PveSimulator sim) {
        this.sim = sim;
        this.db = TestDatabase.create();
        this.engine = engine(db, sim);
        this.admin = client(sim);
    }

    static Engine engine(TestDatabase db, PveSimulator sim) {
        return Engine.builder(db.config(), resolver(sim))
                .settings(EngineSettings.defaults().withTaskTimeout(Duration.ofSeconds(20)).withBackoff(3, Duration.ofMillis(20)))
                .passwordHasher(new PasswordHasher(1024, 1))
                .taskPolling(Duration.ofMillis(10), Duration.ofMillis(50))
                .build();
    }

    static CredentialsResolver resolver(PveSimulator sim) {
        return endpoint -> new ProxmoxCredentials(PveSimulatorExtension.DEFAULT_TOKEN_ID,
                PveSimulatorExtension.DEFAULT_TOKEN_SECRET, TlsTrust.pinnedSha256(sim.certificateFingerprintSha256()));
    }

    static ProxmoxClient client(PveSimulator sim) {
        return ProxmoxClient.builder().endpoint(sim.baseUrl())
                .apiToken(PveSimulatorExtension.DEFAULT_TOKEN_ID, PveSimulatorExtension.DEFAULT_TOKEN_SECRET)
                .tls(TlsTrust.pinnedSha256(sim.certificateFingerprintSha256()))
                .retryPolicy(RetryPolicy.of(3, Duration.ofMillis(20), Duration.ofMillis(100)))
                .taskPolling(Duration.ofMillis(10), Duration.ofMillis(50)).build();
    }

    static SiteSpec siteSpec(PveSimulator sim) {
        return new SiteSpec(SITE, "lab.internal", "10.20.0.0/24", "10.20.0.1", "10.20.0.200", "10.20.0.250",
                List.of("1.1.1.1"), "vmbr0", List.of(new SiteSpec.ProxmoxEndpointSpec(sim.baseUrl(), null, "secret/pve")),
                SiteSpec.PlacementPolicy.LEAST_LOADED, Map.of("pve3", new SiteSpec.NodeOverride(null, null, null, true)));
    }

    void site() {
        engine.sites().apply(K8S, siteSpec(sim));
    }

    static ContainerSpec.Builder container(String name) {
        return ContainerSpec.builder(SITE, name, "docker.io/library/nginx:1.27").cores(1).memoryMb(256).swapMb(0).diskGb(2);
    }

    long requests() {
        return engine.proxmoxClients().stream().mapToLong(c -> c.requestCounts().values().stream().mapToLong(Long::longValue).sum()).sum();
    }

    @Override
    public void close() {
        engine.close();
        admin.close();
        sim.close();
        db.close();
    }
}
