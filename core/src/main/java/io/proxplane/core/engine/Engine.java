package io.proxplane.core.engine;

import io.proxplane.core.proxmox.InFlight;
import io.proxplane.core.proxmox.ProxmoxClient;
import io.proxplane.core.registry.EngineSession;
import io.proxplane.core.registry.Registry;
import io.proxplane.core.registry.RegistryConfig;

import java.time.Duration;
import java.util.List;

/**
 * The engine both front doors drive: one converger per kind, each with apply (create or update),
 * delete and observe, all idempotent; plus bulk {@link #observeSite} / {@link #resync}.
 *
 * <pre>{@code
 * try (Engine engine = Engine.open(registryConfig, credentialsResolver, EngineSettings.defaults())) {
 *     engine.containers().apply("k8s:team-a/web1", spec);
 * }
 * }</pre>
 */
public final class Engine implements AutoCloseable {
    private final Registry registry;
    private final boolean ownsRegistry;
    private final EngineContext ctx;
    private final SiteConverger sites;
    private final ExternalDomainConverger domains;
    private final ContainerConverger containers;
    private final ServiceConverger services;
    private final PoolConverger pools;
    private final UserConverger users;
    private final GroupConverger groups;
    private final References references;
    private final ServiceAccountConverger serviceAccounts;
    private final SiteObserver observer;
    private final InFlight inFlight = new InFlight();

    private Engine(Registry registry, boolean ownsRegistry, RegistryConfig config, CredentialsResolver credentials,
                   EngineSettings settings, PasswordHasher hasher, Duration taskPollInitial, Duration taskPollMax) {
        this.registry = registry;
        this.ownsRegistry = ownsRegistry;
        EngineSession session = EngineSession.open(config);
        try {
            this.ctx = new EngineContext(registry, new Clusters(credentials, taskPollInitial, taskPollMax),
                    new EngineStore(config), settings, session);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
        this.sites = new SiteConverger(ctx);
        this.domains = new ExternalDomainConverger(ctx);
        this.containers = new ContainerConverger(ctx);
        this.services = new ServiceConverger(ctx);
        this.pools = new PoolConverger(ctx);
        this.users = new UserConverger(ctx, hasher);
        this.groups = new GroupConverger(ctx);
        this.serviceAccounts = new ServiceAccountConverger(ctx, hasher);
        this.observer = new SiteObserver(ctx, containers);
        this.references = new References(registry);
        ctx.recovery = new IntentRecovery(ctx, containers, pools);
    }

    /** Opens the registry (migrating it) and the engine over it. */
    public static Engine open(RegistryConfig config, CredentialsResolver credentials, EngineSettings settings) {
        return builder(config, credentials).settings(settings).build();
    }

    public static Builder builder(RegistryConfig config, CredentialsResolver credentials) {
        return new Builder(config, credentials);
    }

    public SiteConverger sites() { return sites; }

    public ExternalDomainConverger externalDomains() { return domains; }

    public ContainerConverger containers() { return containers; }

    public ServiceConverger services() { return services; }

    public PoolConverger pools() { return pools; }

    public UserConverger users() { return users; }

    public GroupConverger groups() { return groups; }

    /** Checks of the references a spec makes, against the registry only (for plan-time validation). */
    public References references() { return references; }

    /** Bind identities for SSSD and nslcd in containers (served by the LDAP gateway). */
    public ServiceAccountConverger serviceAccounts() { return serviceAccounts; }

    public Registry registry() { return registry; }

    /** Every container of the site from ONE /cluster/resources read per cluster; nothing is changed. */
    public SiteObservation observeSite(String site) {
        return EngineErrors.guard(() -> observer.observe(site));
    }

    /** Bulk observe, then correct drift, finish interrupted operations and destroy orphans. */
    public SiteObservation resync(String site) {
        return EngineErrors.guard(() -> observer.resync(site));
    }

    /**
     * Forgets the client of a Proxmox endpoint, so the next call resolves its credentials again
     * (front doors call this when the secret behind {@code credentialsRef} changed). Returns
     * whether a client was cached.
     */
    public boolean forgetProxmoxClient(String endpointUrl) {
        return ctx.clusters.forget(endpointUrl);
    }

    /**
     * This engine's session id, written beside every intent it records; tests end it abruptly with
     * {@link #abandonSessionForTest()} to act out a crash.
     */
    public int sessionId() {
        return ctx.session.lastId();
    }

    /**
     * Closes this engine's session connection abruptly, as a crash would (the engine object is
     * otherwise unusable for intents until it reconnects). For tests of crash recovery only.
     */
    void abandonSessionForTest() {
        ctx.session.close();
    }

    /** The Proxmox clients made so far (for request counts). */
    public List<ProxmoxClient> proxmoxClients() {
        return ctx.clusters.clients();
    }

    /**
     * Runs this thread's engine calls as one cancellable operation until closed:
     * {@code try (var op = engine.operation()) { engine.containers().apply(...); }}. Front doors
     * open one per request (the provider per RPC, the operator per reconcile). A token the caller
     * bound already ({@link io.proxplane.core.proxmox.Cancellation#bind()}) is joined. Engine calls
     * made outside any operation cannot be cancelled.
     */
    public InFlight.Operation operation() {
        return inFlight.enter();
    }

    /**
     * Cancels every operation running now: waits for Proxmox tasks, back-off sleeps and requests in
     * flight end at once and the operation fails with {@link EngineException.Kind#CANCELLED}
     * carrying {@code reason} (say who interrupted, e.g. "interrupted by Terraform (StopProvider)").
     * Proxmox tasks already started keep running, and the registry keeps the recorded intent (e.g.
     * {@code create} with the task's UPID), so the next apply resumes or rolls back. Operations
     * started afterwards run normally. Returns how many operations were cancelled.
     */
    public int cancelInFlight(String reason) {
        return inFlight.cancelAll(reason);
    }

    @Override
    public void close() {
        inFlight.cancelAll("the engine is shutting down");
        ctx.clusters.close();
        ctx.store.close();
        // ends the session: intents still recorded (operations cancelled above) become abandoned
        ctx.session.close();
        if (ownsRegistry) registry.close();
    }

    public static final class Builder {
        private final RegistryConfig config;
        private final CredentialsResolver credentials;
        private EngineSettings settings = EngineSettings.defaults();
        private PasswordHasher hasher = PasswordHasher.defaults();
        private Duration pollInitial = Duration.ofMillis(100), pollMax = Duration.ofSeconds(2);
        private Registry registry;

        private Builder(RegistryConfig config, CredentialsResolver credentials) {
            this.config = config;
            this.credentials = credentials;
        }

        public Builder settings(EngineSettings s) { settings = s; return this; }
        public Builder passwordHasher(PasswordHasher h) { hasher = h; return this; }
        public Builder taskPolling(Duration initial, Duration max) { pollInitial = initial; pollMax = max; return this; }
        /** Shares an already open registry (not closed with the engine). */
        public Builder registry(Registry r) { registry = r; return this; }

        /** Opens the registry unless one was given; an unreachable registry is {@code REGISTRY_UNAVAILABLE}. */
        public Engine build() {
            boolean owns = registry == null;
            Registry r = owns ? EngineErrors.guard(() -> Registry.open(config)) : registry;
            try {
                return EngineErrors.guard(() -> new Engine(r, owns, config, credentials, settings, hasher, pollInitial, pollMax));
            } catch (EngineException e) {
                if (owns) r.close();
                throw e;
            }
        }
    }
}
