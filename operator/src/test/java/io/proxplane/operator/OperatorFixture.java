package io.proxplane.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.util.Queue;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.proxplane.core.engine.Engine;
import io.proxplane.core.engine.EngineSettings;
import io.proxplane.core.engine.PasswordHasher;
import io.proxplane.operator.api.ProxplaneStatus;
import io.proxplane.operator.secrets.SecretCredentials;
import io.proxplane.pvesim.PveSimulator;
import io.proxplane.pvesim.junit.PveSimulatorExtension;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The operator's real parts wired for a test: the fabric8 mock API server in CRUD mode (with the
 * generated CRDs created in it), the Proxmox simulator, a fresh PostgreSQL database and the
 * engine; operators are started with {@link #startOperator}.
 */
final class OperatorFixture implements AutoCloseable {
    static final Path ROOT = Path.of(System.getProperty("proxplane.project.root", ".."));
    static final Path CRDS_GENERATED = Path.of("target/classes/META-INF/fabric8");
    static final String SYSTEM_NS = "proxplane-system";

    final PveSimulator sim;
    final TestDb db;
    final KubernetesMockServer server;
    final ApiServer api;
    /** The tests' own client; every operator gets its own (see {@link #operatorClient}). */
    final KubernetesClient client;
    final List<AutoCloseable> closeables = new ArrayList<>();

    OperatorFixture(String... nodes) {
        sim = PveSimulatorExtension.testDefaults().nodes(nodes).build().start();
        db = TestDb.create();
        // CRUD for everything, with a real API server's Event check and a record of the operators' calls
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        api = new ApiServer(new KubernetesMixedDispatcher(responses));
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, api, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
        for (CustomResourceDefinition crd : generatedCrds()) {
            client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        }
        for (String ns : List.of(SYSTEM_NS, "default")) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        }
    }

    static List<CustomResourceDefinition> generatedCrds() {
        try (Stream<Path> files = Files.list(CRDS_GENERATED)) {
            return files.filter(p -> p.toString().endsWith(".yml")).sorted().map(p -> {
                try (InputStream in = Files.newInputStream(p)) {
                    return Serialization.unmarshal(in, CustomResourceDefinition.class);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new IllegalStateException("generated CRDs missing in " + CRDS_GENERATED.toAbsolutePath()
                    + " (the crd-generator plugin runs in process-classes)", e);
        }
    }

    /** An engine as a replica would open it: its own pool, credentials from the mock server's Secrets. */
    Engine engine(SecretCredentials credentials) {
        Engine e = Engine.builder(db.config(), credentials)
                .settings(EngineSettings.defaults().withTaskTimeout(Duration.ofSeconds(20)).withBackoff(2, Duration.ofMillis(20)))
                .passwordHasher(new PasswordHasher(1024, 1))
                .taskPolling(Duration.ofMillis(10), Duration.ofMillis(50))
                .build();
        closeables.add(e);
        return e;
    }

    record Running(ProxplaneOperator operator, Engine engine, PrometheusMeterRegistry meters) implements AutoCloseable {
        @Override
        public void close() {
            operator.close();
        }
    }

    Running startOperator(String identity, LeaseElector.Settings leader, Duration resync) {
        return startOperator(identity, leader, resync, Set.of());
    }

    /** A client like the operator's in Main, marked so the API server records its calls (ApiServer). */
    KubernetesClient operatorClient(Set<String> namespaces) {
        clearOtherRunsRecords();
        KubernetesClient c = new KubernetesClientBuilder().withConfig(new ConfigBuilder(client.getConfiguration())
                .withUserAgent(ApiServer.agent(namespaces)).build()).build();
        closeables.add(c);
        return c;
    }

    private static final java.util.concurrent.atomic.AtomicBoolean CLEARED = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Records of earlier test runs (other JVMs) would mix old calls into ChartRbacIT's comparison.
     * Only a JVM that records clears (not MainJarIT's, whose operator is a process of its own).
     */
    private static void clearOtherRunsRecords() {
        if (!CLEARED.compareAndSet(false, true) || !Files.isDirectory(ApiServer.RECORD_DIR)) return;
        String mine = "-" + ProcessHandle.current().pid() + "-";
        try (Stream<Path> files = Files.list(ApiServer.RECORD_DIR)) {
            for (Path p : files.filter(p -> !p.getFileName().toString().contains(mine)).toList()) Files.delete(p);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    Running startOperator(String identity, LeaseElector.Settings leader, Duration resync, Set<String> namespaces) {
        KubernetesClient client = operatorClient(namespaces);
        var credentials = new SecretCredentials(client);
        Engine engine = engine(credentials);
        var meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        var settings = new ProxplaneOperator.Settings(namespaces, SYSTEM_NS, leader, resync, Duration.ofSeconds(2), Duration.ofSeconds(5),
                identity, 4);
        var op = new ProxplaneOperator(client, engine, credentials, meters, settings, Clock.systemUTC());
        op.start();
        var running = new Running(op, engine, meters);
        closeables.add(running);
        return running;
    }

    /** The Proxmox token Secret the example Site references, pointing at the simulator. */
    Secret tokenSecret(String namespace, String name) {
        return new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withData(Map.of(
                        SecretCredentials.TOKEN_ID, b64(PveSimulatorExtension.DEFAULT_TOKEN_ID),
                        SecretCredentials.SECRET, b64(PveSimulatorExtension.DEFAULT_TOKEN_SECRET),
                        SecretCredentials.FINGERPRINT, b64(sim.certificateFingerprintSha256())))
                .build();
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Every object of examples/kubernetes, in file order. */
    static List<HasMetadata> examples() {
        Path dir = ROOT.resolve("examples/kubernetes");
        try (Stream<Path> files = Files.list(dir)) {
            List<HasMetadata> out = new ArrayList<>();
            for (Path p : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(p)) {
                    Object parsed = Serialization.unmarshal(in);
                    if (parsed instanceof List<?> list) list.forEach(o -> out.add((HasMetadata) o));
                    else out.add((HasMetadata) parsed);
                }
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + dir.toAbsolutePath(), e);
        }
    }

    /** Waits are hang guards, never verdicts: no wait gives up sooner than this on a loaded machine. */
    static final Duration MIN_PATIENCE = Duration.ofMinutes(2);

    static <T> T await(String what, Duration timeout, Supplier<T> probe, Predicate<T> done) {
        timeout = timeout.compareTo(MIN_PATIENCE) < 0 ? MIN_PATIENCE : timeout;
        Instant end = Instant.now().plus(timeout);
        T last = null;
        while (Instant.now().isBefore(end)) {
            last = probe.get();
            if (last != null && done.test(last)) return last;
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last seen: "
                + (last instanceof HasMetadata h ? Serialization.asYaml(h) : last));
    }

    static boolean ready(CustomResource<?, ? extends ProxplaneStatus> r) {
        return condition(r, "True") && r.getStatus().observedGeneration != null
                && r.getStatus().observedGeneration.equals(r.getMetadata().getGeneration());
    }

    static boolean condition(CustomResource<?, ? extends ProxplaneStatus> r, String status) {
        if (r == null || r.getStatus() == null || r.getStatus().conditions == null) return false;
        return r.getStatus().conditions.stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals(status));
    }

    static io.fabric8.kubernetes.api.model.Condition readyCondition(CustomResource<?, ? extends ProxplaneStatus> r) {
        return r.getStatus().conditions.stream().filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        api.writeRecord(StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(frames -> frames
                .map(f -> f.getDeclaringClass()).filter(c -> c != OperatorFixture.class).findFirst()
                .map(Class::getSimpleName).orElse("fixture")));
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception ignored) {
                // best effort: the next resource must still be closed
            }
        }
        client.close();
        try {
            server.destroy();
        } catch (RuntimeException e) {
            // the mock server may still count a closing watch connection; nothing to clean up
        }
        sim.close();
        db.close();
    }
}
