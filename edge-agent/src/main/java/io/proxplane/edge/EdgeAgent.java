package io.proxplane.edge;

import io.proxplane.core.edge.DnsmasqSettings;
import io.proxplane.core.edge.NginxSettings;
import io.proxplane.core.model.ConfigPath;
import io.proxplane.core.model.Ipv4Address;
import io.proxplane.core.model.Port;
import io.proxplane.core.model.UploadSize;
import io.proxplane.core.registry.ChangeFeed;
import io.proxplane.core.registry.ChangeListener;
import io.proxplane.core.registry.Registry;
import io.proxplane.core.registry.RegistryChange;
import io.proxplane.core.registry.Site;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon: follows the registry's change feed, debounces (a quiet period, bounded by a maximum
 * delay so a steady stream of changes cannot postpone the edge forever), resyncs fully on a timer
 * and whenever the feed reconnects, and runs {@link Applier} cycles on one worker thread, so
 * applies never overlap. A failed apply is retried with back-off.
 */
public final class EdgeAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EdgeAgent.class);

    /** Tables whose rows reach the edge's configuration. */
    static final Set<String> RELEVANT_TABLES = Set.of("sites", "site_nodes", "external_domains", "containers", "services");
    static final Path STREAM_MODULE = Path.of("/usr/lib/nginx/modules/ngx_stream_module.so");

    private final AgentConfig config;
    private final Registry registry;
    private final AgentMetrics metrics = new AgentMetrics();
    private final Object lock = new Object();
    private final Thread worker;
    private final ScheduledExecutorService timers;
    private volatile boolean running = true;
    private volatile boolean lastApplyOk;
    private volatile String lastFailure;
    private volatile ChangeFeed feed;
    private volatile Applier applier;
    private volatile long siteId = -1;

    // guarded by lock
    private boolean pending;
    private boolean immediate;
    private long firstEventNanos;
    private long lastEventNanos;
    private long oldestChangeNanos;
    private long retryDelayMillis = 1000;

    private final java.time.Clock clock;
    private volatile AcmeManager acme;

    private EdgeAgent(AgentConfig config, Registry registry, java.time.Clock clock) {
        this.config = config;
        this.registry = registry;
        this.clock = clock;
        this.worker = Thread.ofPlatform().name("edge-agent-apply").unstarted(this::workLoop);
        this.timers = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("edge-agent-timer").daemon(true).factory());
        metrics.gauges(() -> feedConnected() ? 1 : 0, () -> lastApplyOk ? 1 : 0);
    }

    /**
     * Starts the agent: finds the site (waiting for it to exist), prepares the directories, then
     * follows the feed. Returns once the worker runs; the first apply happens right after.
     */
    public static EdgeAgent start(AgentConfig config, Registry registry) {
        return start(config, registry, java.time.Clock.systemUTC());
    }

    /** @param clock decides when certificates are due for renewal (tests move it forward) */
    static EdgeAgent start(AgentConfig config, Registry registry, java.time.Clock clock) {
        EdgeAgent agent = new EdgeAgent(config, registry, clock);
        agent.startUp();
        return agent;
    }

    private void startUp() {
        Commands commands = new Commands(config.commandTimeout());
        siteId = waitForSite();
        NginxSettings nginxSettings = nginxSettings(config, commands);
        Set<Integer> ownPorts = new java.util.HashSet<>(Set.of(nginxSettings.httpsPort().value()));
        nginxSettings.httpRedirectPort().ifPresent(p -> ownPorts.add(p.value()));
        AcmeStore acmeStore = new AcmeStore(config.acmeDir());
        acme = new AcmeManager(acmeStore, registry, config.agentId(), config.acmeDirectoryUrl(), config.acmeCaFile(), clock,
                () -> request(false, false));
        applier = new Applier(registry, siteId, config.agentId(),
                new SnapshotMapper.Settings(config.leaseTime(), config.tlsCertificateDir(), config.tlsKeyDir(), ownPorts,
                        Optional.of(acmeStore), nginxSettings.httpRedirectPort().isPresent()),
                nginxTarget(config, commands, nginxSettings), dnsmasqTarget(config, commands),
                metrics, Optional.of(acme));
        applier.prepare();
        worker.start();
        if (config.followFeed()) {
            // The feed calls onResync right after its first LISTEN, which triggers the first apply.
            feed = registry.changeFeed(new ChangeListener() {
                @Override
                public void onChange(RegistryChange change) {
                    if (RELEVANT_TABLES.contains(change.table())) {
                        request(true, true);
                    }
                }

                @Override
                public void onResync(String reason) {
                    log.info("change feed: {}; full resync", reason);
                    request(false, false);
                }
            });
        } else {
            request(false, false);
        }
        long resync = config.resyncInterval().toMillis();
        timers.scheduleAtFixedRate(() -> request(false, false), resync, resync, TimeUnit.MILLISECONDS);
        long acmeCheck = config.acmeCheckInterval().toMillis();
        timers.scheduleAtFixedRate(acme::check, acmeCheck, acmeCheck, TimeUnit.MILLISECONDS);
        // certificate files replaced by anything (ACME here, certbot, a mounted Secret): a stat per
        // file; an apply (which reloads nginx) only when one changed
        long certificateCheck = config.certificateCheckInterval().toMillis();
        timers.scheduleAtFixedRate(() -> {
            if (applier.certificateFilesChanged()) {
                log.info("certificate files changed on disk; reloading nginx");
                request(false, false);
            }
        }, certificateCheck, certificateCheck, TimeUnit.MILLISECONDS);
        long supervise = config.superviseInterval().toMillis();
        timers.scheduleWithFixedDelay(() -> {
            try {
                applier.supervise();
            } catch (RuntimeException e) {
                log.warn("supervision failed: {}", e.getMessage());
            }
        }, supervise, supervise, TimeUnit.MILLISECONDS);
        long heartbeat = config.heartbeatInterval().toMillis();
        timers.scheduleAtFixedRate(this::heartbeat, heartbeat, heartbeat, TimeUnit.MILLISECONDS);
    }

    static NginxTarget nginxTarget(AgentConfig config, Commands commands, NginxSettings settings) {
        return new NginxTarget(config.nginxBinary(), config.nginxDir(), config.nginxRuntimeDir(), settings, commands,
                config.manageProcesses());
    }

    static Optional<DnsmasqTarget> dnsmasqTarget(AgentConfig config, Commands commands) {
        return config.dnsmasqEnabled() ? Optional.of(new DnsmasqTarget(config.dnsmasqBinary(), config.dnsmasqDir(),
                config.dnsmasqPidFile(), config.dnsmasqUser(), dnsmasqSettings(config), commands, config.manageProcesses()))
                : Optional.empty();
    }

    /**
     * Before the registry answers (it may be down while this host boots): starts nginx and dnsmasq
     * on the last configuration that was live, so the site keeps being served. Returns what started.
     */
    static List<String> serveLastGood(AgentConfig config) {
        Commands commands = new Commands(config.commandTimeout());
        List<String> started = new ArrayList<>();
        try {
            NginxTarget nginx = nginxTarget(config, commands, nginxSettings(config, commands));
            nginx.prepareDirectories();
            if (nginx.ensureRunning()) {
                started.add("nginx");
            }
        } catch (RuntimeException e) {
            log.warn("could not start nginx on the last live configuration: {}", Skipped.oneLine(String.valueOf(e.getMessage())));
        }
        try {
            Optional<DnsmasqTarget> dnsmasq = dnsmasqTarget(config, commands);
            if (dnsmasq.isPresent()) {
                dnsmasq.get().prepareDirectories();
                if (dnsmasq.get().ensureRunning()) {
                    started.add("dnsmasq");
                }
            }
        } catch (RuntimeException e) {
            log.warn("could not start dnsmasq on the last live configuration: {}", Skipped.oneLine(String.valueOf(e.getMessage())));
        }
        return started;
    }

    private long waitForSite() {
        long delay = 1000;
        while (running) {
            try {
                Optional<Site> site = registry.sites().findByName(config.site());
                if (site.isPresent()) {
                    return site.get().id();
                }
                log.warn("site '{}' is not in the registry yet; waiting", config.site());
            } catch (RuntimeException e) {
                log.warn("registry unavailable while looking up site '{}': {}", config.site(), e.getMessage());
            }
            sleep(delay);
            delay = Math.min(delay * 2, 30_000);
        }
        throw new IllegalStateException("stopped before site '" + config.site() + "' appeared");
    }

    static NginxSettings nginxSettings(AgentConfig config, Commands commands) {
        List<ConfigPath> modules = config.nginxModules().map(list -> list.stream()
                .map(p -> ConfigPath.of("nginx-modules", p.toString())).toList())
                .orElseGet(() -> detectModules(config.nginxBinary(), commands));
        NginxSettings settings = NginxSettings.defaults()
                .withDirectories(ConfigPath.of("nginx-dir", config.nginxDir().toString()),
                        ConfigPath.of("nginx-runtime-dir", config.nginxRuntimeDir().toString()))
                .withModules(modules)
                .withWorkerUser(config.nginxWorkerUser())
                .withClientMaxBodySize(UploadSize.of("client-max-body-size", config.clientMaxBodySize()));
        Optional<Port> redirect = config.nginxHttpPort() == 0 ? Optional.empty()
                : Optional.of(Port.of("nginx-http-port", config.nginxHttpPort()));
        if (config.nginxListen().isPresent()) {
            settings = settings.withListen(Ipv4Address.of("nginx-listen", config.nginxListen().get()),
                    Port.of("nginx-https-port", config.nginxHttpsPort()), redirect);
        } else {
            settings = new NginxSettings(Optional.empty(), Port.of("nginx-https-port", config.nginxHttpsPort()), redirect,
                    settings.publicHttpsPort(), settings.clientMaxBodySize(), settings.proxyTimeout(),
                    settings.configDirectory(), settings.runtimeDirectory(), settings.modules(),
                    settings.defaultCertificate(), settings.workerUser(), settings.identityHeaders());
        }
        settings = settings.withPublicHttpsPort(Port.of("nginx-public-https-port", config.nginxPublicHttpsPort()))
                .withLayout(config.nginxLayout());
        if (config.nginxDefaultCertificate().isPresent()) {
            settings = settings.withDefaultCertificate(Optional.of(new NginxSettings.TlsFiles(
                    ConfigPath.of("nginx-default-certificate", config.nginxDefaultCertificate().get().toString()),
                    ConfigPath.of("nginx-default-key", config.nginxDefaultKey().orElseThrow().toString()))));
        }
        return settings;
    }

    /** Debian builds the stream module as a dynamic module; other builds compile it in. */
    static List<ConfigPath> detectModules(Path nginx, Commands commands) {
        Commands.Result r = commands.run(List.of(nginx.toString(), "-V"));
        if (!r.ok()) {
            throw new IllegalStateException("nginx-binary: '" + nginx + " -V' failed: " + r.output());
        }
        List<ConfigPath> modules = new ArrayList<>();
        if (r.output().contains("--with-stream=dynamic")) {
            if (!Files.isRegularFile(STREAM_MODULE)) {
                throw new IllegalStateException("nginx-modules: nginx builds stream as a dynamic module but " + STREAM_MODULE
                        + " is missing (Debian package libnginx-mod-stream)");
            }
            modules.add(ConfigPath.of("nginx-modules", STREAM_MODULE.toString()));
        }
        return modules;
    }

    static DnsmasqSettings dnsmasqSettings(AgentConfig config) {
        return new DnsmasqSettings(config.dnsmasqListen().map(a -> Ipv4Address.of("dnsmasq-listen", a)),
                Port.of("dnsmasq-port", config.dnsmasqPort()), true,
                config.dnsmasqDhcpPorts().map(p -> new DnsmasqSettings.DhcpPorts(Port.of("dnsmasq-dhcp-ports", p[0]),
                        Port.of("dnsmasq-dhcp-ports", p[1]))),
                config.dnsmasqLeaseFile().map(p -> ConfigPath.of("dnsmasq-lease-file", p.toString())));
    }

    /**
     * Asks for an apply. {@code debounced}: wait for the quiet period (bounded by the maximum
     * delay); otherwise apply as soon as the worker is free. {@code change}: a registry change, for
     * the commit-to-apply lag.
     */
    void request(boolean debounced, boolean change) {
        synchronized (lock) {
            long now = System.nanoTime();
            if (!pending) {
                pending = true;
                firstEventNanos = now;
            }
            lastEventNanos = now;
            if (change && oldestChangeNanos == 0) {
                oldestChangeNanos = now;
            }
            if (!debounced) {
                immediate = true;
            }
            lock.notifyAll();
        }
    }

    private void workLoop() {
        while (running) {
            long lagStart;
            synchronized (lock) {
                try {
                    if (!awaitDue()) {
                        return;
                    }
                } catch (InterruptedException e) {
                    return;
                }
                pending = false;
                immediate = false;
                lagStart = oldestChangeNanos;
                oldestChangeNanos = 0;
            }
            Applier.Outcome outcome = applier.apply();
            lastApplyOk = outcome.result() != Applier.Result.FAILED;
            lastFailure = lastApplyOk ? null : outcome.detail();
            if (lastApplyOk) {
                if (lagStart != 0) {
                    metrics.commitToApply.record(System.nanoTime() - lagStart);
                }
                synchronized (lock) {
                    retryDelayMillis = 1000;
                }
            } else {
                long delay;
                synchronized (lock) {
                    // the lag keeps counting until an apply succeeds
                    if (lagStart != 0 && (oldestChangeNanos == 0 || lagStart < oldestChangeNanos)) {
                        oldestChangeNanos = lagStart;
                    }
                    delay = retryDelayMillis;
                    retryDelayMillis = Math.min(retryDelayMillis * 2, 60_000);
                }
                if (running) {
                    timers.schedule(() -> request(false, false), delay, TimeUnit.MILLISECONDS);
                }
            }
        }
    }

    /** Waits (holding lock) until a pending apply is due; false when stopping. */
    private boolean awaitDue() throws InterruptedException {
        while (running) {
            if (!pending) {
                lock.wait();
                continue;
            }
            long now = System.nanoTime();
            long due = immediate ? now : Math.min(lastEventNanos + config.debounce().toNanos(),
                    firstEventNanos + config.maxDelay().toNanos());
            if (now - due >= 0) {
                return true;
            }
            TimeUnit.NANOSECONDS.timedWait(lock, due - now);
        }
        return false;
    }

    private void heartbeat() {
        try {
            registry.edgeAgents().heartbeat(config.agentId(), siteId);
        } catch (RuntimeException e) {
            log.warn("heartbeat failed: {}", e.getMessage());
        }
    }

    public boolean feedConnected() {
        ChangeFeed f = feed;
        return f != null && f.isConnected();
    }

    /** Ready: the last apply succeeded and, when following the feed, the feed is connected. */
    public boolean ready() {
        return lastApplyOk && (!config.followFeed() || feedConnected());
    }

    /** {@link #ready()} with the reasons: why not, and what the served configuration leaves out. */
    public HealthServer.Readiness readiness() {
        List<String> lines = new ArrayList<>();
        Applier a = applier;
        if (a == null) {
            lines.add("waiting for the registry and the site '" + config.site() + "'");
        } else if (!lastApplyOk) {
            String failure = lastFailure;
            lines.add(failure == null ? "no apply has finished yet" : "last apply failed, the previous configuration keeps serving: "
                    + Skipped.oneLine(failure));
        }
        if (config.followFeed() && !feedConnected()) {
            lines.add("change feed disconnected (registry unreachable?); retrying");
        }
        if (a != null) {
            for (Skipped k : a.skipped()) {
                lines.add(k.describe());
            }
        }
        return new HealthServer.Readiness(ready(), String.join("\n", lines));
    }

    public AgentMetrics metrics() {
        return metrics;
    }

    public long siteId() {
        return siteId;
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        ChangeFeed f = feed;
        if (f != null) {
            f.close();
        }
        timers.shutdownNow();
        AcmeManager a = acme;
        if (a != null) {
            a.close();
        }
        synchronized (lock) {
            lock.notifyAll();
        }
        try {
            worker.join(Duration.ofSeconds(90));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
