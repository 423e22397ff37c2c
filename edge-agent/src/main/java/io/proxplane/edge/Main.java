package io.proxplane.edge;

import io.proxplane.core.registry.Registry;
import io.proxplane.core.registry.RegistryConfig;
import java.io.IOException;
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
        CountDownLatch stopped = new CountDownLatch(1);
        Running running = start(config);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            running.close();
            stopped.countDown();
        }));
        stopped.await();
    }

    /**
     * The agent's life outside the registry: health endpoints at once, nginx and dnsmasq on the
     * last live configuration at once, then the registry, retried with back-off for as long as it
     * takes (an agent started while PostgreSQL is down serves its last good configuration and says
     * so on /readyz instead of exiting).
     */
    static Running start(AgentConfig config) throws IOException {
        Running running = new Running();
        if (config.httpListen().isPresent()) {
            running.health = HealthServer.start(config.httpListen().get(), running::readiness,
                    () -> running.agent.get() == null ? "" : running.agent.get().metrics().scrape());
            log.info("health and metrics on port {}", running.health.port());
        }
        List<String> started = EdgeAgent.serveLastGood(config);
        if (!started.isEmpty()) {
            log.info("started {} on the last live configuration", String.join(" and ", started));
        }
        running.thread = Thread.ofPlatform().name("edge-agent-start").start(() -> {
            long delay = 1000;
            while (!running.closed) {
                try {
                    Registry registry = Registry.open(RegistryConfig.of(config.registryUrl(), config.registryUser(),
                            config.registryPassword()).withMaxPoolSize(3));
                    synchronized (running) {
                        if (running.closed) {
                            registry.close();
                            return;
                        }
                        running.registry = registry;
                        running.waiting = "waiting for the site '" + config.site() + "' in the registry";
                    }
                    EdgeAgent agent = EdgeAgent.start(config, registry);
                    synchronized (running) {
                        if (running.closed) {
                            agent.close();
                            return;
                        }
                        running.agent.set(agent);
                    }
                    return;
                } catch (RuntimeException e) {
                    String message = Skipped.oneLine(String.valueOf(e.getMessage()));
                    running.waiting = "registry unreachable (" + message + "); serving the last good configuration; retrying";
                    log.warn("registry unreachable, retrying in {} ms; the last good configuration keeps serving: {}", delay, message);
                    try {
                        Thread.sleep(delay);
                    } catch (InterruptedException ie) {
                        return;
                    }
                    delay = Math.min(delay * 2, 30_000);
                }
            }
        });
        return running;
    }

    /** A started agent, or one still waiting for its registry. */
    static final class Running implements AutoCloseable {
        final AtomicReference<EdgeAgent> agent = new AtomicReference<>();
        volatile String waiting = "connecting to the registry";
        volatile boolean closed;
        HealthServer health;
        Registry registry;
        Thread thread;

        HealthServer.Readiness readiness() {
            EdgeAgent a = agent.get();
            return a == null ? new HealthServer.Readiness(false, waiting) : a.readiness();
        }

        @Override
        public void close() {
            synchronized (this) {
                closed = true;
            }
            if (thread != null) {
                thread.interrupt();
                try {
                    thread.join(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            EdgeAgent a = agent.get();
            if (a != null) {
                a.close();
            }
            if (health != null) {
                health.close();
            }
            if (registry != null) {
                registry.close();
            }
        }
    }
}
