package io.proxplane.edge;

import io.proxplane.core.registry.Registry;
import io.proxplane.core.registry.RegistryConfig;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code edge-agent [--option=value ...]}; see {@link AgentConfig#usage()}. */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        List<String> arguments = Arrays.asList(args);
        if (arguments.contains("--help") || arguments.contains("-h")) {
            System.out.print(AgentConfig.usage());
            return;
        }
        AgentConfig config;
        try {
            config = AgentConfig.parse(arguments, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("edge-agent: " + e.getMessage());
            System.err.print(AgentConfig.usage());
            System.exit(2);
            return;
        }
        log.info("starting: {}", config);
        AtomicReference<EdgeAgent> agent = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Registry registry = Registry.open(RegistryConfig.of(config.registryUrl(), config.registryUser(), config.registryPassword())
                .withMaxPoolSize(3));
        HealthServer health = null;
        if (config.httpListen().isPresent()) {
            health = HealthServer.start(config.httpListen().get(),
                    () -> agent.get() == null ? new HealthServer.Readiness(false, "starting")
                            : agent.get().readiness(),
                    () -> agent.get() == null ? "" : agent.get().metrics().scrape());
            log.info("health and metrics on port {}", health.port());
        }
        HealthServer healthServer = health;
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            EdgeAgent a = agent.get();
            if (a != null) {
                a.close();
            }
            if (healthServer != null) {
                healthServer.close();
            }
            registry.close();
            stopped.countDown();
        }));
        agent.set(EdgeAgent.start(config, registry));
        stopped.await();
    }
}
