package io.proxplane.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.proxplane.core.engine.Engine;
import io.proxplane.core.engine.EngineSettings;
import io.proxplane.core.registry.RegistryConfig;
import io.proxplane.operator.secrets.SecretCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code java -jar proxplane-operator.jar}: configuration from the environment (see
 * {@link OperatorConfig}), the registry migrated at start, then the operator, leader-elected,
 * with {@code /metrics}, {@code /healthz} and {@code /readyz} on {@code PROXPLANE_HTTP_PORT}.
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        OperatorConfig config;
        try {
            config = OperatorConfig.fromEnv(System.getenv());
        } catch (OperatorConfig.ConfigException e) {
            System.err.println("proxplane-operator: bad configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        LOG.info("starting with {}", config);
        var meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmGcMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);

        KubernetesClient client = new KubernetesClientBuilder().build();
        var credentials = new SecretCredentials(client);
        Engine engine = Engine.open(RegistryConfig.of(config.registryUrl(), config.registryUser(), config.registryPassword()),
                credentials, EngineSettings.defaults());
        AtomicBoolean shuttingDown = new AtomicBoolean();
        var leader = config.leaderElection()
                ? LeaseElector.Settings.of(config.leaseNamespace(), config.leaseName(), config.identity()) : null;
        var operator = new ProxplaneOperator(client, engine, credentials, meters,
                ProxplaneOperator.Settings.of(config, leader), Clock.systemUTC());
        // Reconciling has stopped when this runs; exit so that Kubernetes restarts the replica as a
        // candidate. From another thread: System.exit waits for the shutdown hook, which stops the
        // operator and would wait for this thread.
        operator.onLeadershipLost(why -> {
            if (shuttingDown.get()) return;
            LOG.error("lost the Lease {}/{} ({}); exiting so that Kubernetes restarts this replica as a candidate",
                    config.leaseNamespace(), config.leaseName(), why);
            new Thread(() -> System.exit(1), "lost-lease-exit").start();
        });
        var health = new Health(operator, engine);
        var ops = new OpsServer("0.0.0.0", config.httpPort(), meters, health::liveness, health::readiness);

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            shuttingDown.set(true);
            // Reconciles waiting on Proxmox (a create task, a back-off) would hold the shutdown up to
            // the task timeout: end them now; the registry keeps their intents for the next leader.
            int cancelled = engine.cancelInFlight("interrupted by the operator shutting down");
            LOG.info("stopping ({} engine operation(s) in progress cancelled)", cancelled);
            try {
                operator.close(); // stops reconciling, then releases the Lease
            } finally {
                ops.close();
                engine.close();
                client.close();
                stopped.countDown();
            }
        }, "shutdown"));
        operator.start();
        LOG.info("{}; ops endpoint on port {}", leader == null ? "operator started" : "campaigning for the Lease " + leader.namespace()
                + "/" + leader.name() + " as " + leader.identity(), ops.port());
        stopped.await();
    }
}
