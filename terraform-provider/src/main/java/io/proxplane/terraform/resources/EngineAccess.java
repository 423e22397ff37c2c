package io.proxplane.terraform.resources;

import io.proxplane.core.engine.References;

import io.proxplane.core.engine.CredentialsResolver;
import io.proxplane.core.engine.Engine;
import io.proxplane.core.engine.EngineException;
import io.proxplane.core.engine.EngineSettings;
import io.proxplane.core.engine.ProxmoxCredentials;
import io.proxplane.core.engine.SiteObservation;
import io.proxplane.terraform.provider.ProviderConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What the managed resources share in one provider process: the engine (opened on first use, so
 * {@code validate} and data-source-only runs never touch the registry), the manager string, and
 * the bulk observation cache that makes a refresh cost one {@code /cluster/resources} per cluster.
 */
public final class EngineAccess implements AutoCloseable {

    /** Long enough to cover one refresh walk of a few hundred resources; short enough to see drift on the next run. */
    public static final Duration OBSERVATION_TTL = Duration.ofSeconds(30);

    private final Supplier<ProviderConfig> config;
    private final ObservationCache observations;
    private volatile Engine engine;

    public EngineAccess(Supplier<ProviderConfig> config) {
        this(config, Clock.systemUTC());
    }

    EngineAccess(Supplier<ProviderConfig> config, Clock clock) {
        this.config = config;
        this.observations = new ObservationCache(site -> engine().observeSite(site), OBSERVATION_TTL, clock);
    }

    /** {@code terraform:<workspace>}. */
    public String manager() {
        return configured().manager();
    }

    public Engine engine() {
        Engine e = engine;
        if (e != null) {
            return e;
        }
        synchronized (this) {
            if (engine == null) {
                ProviderConfig c = configured();
                if (c.registryConfig() == null) {
                    throw new EngineException(EngineException.Kind.INVALID_SPEC, "the provider has no registry_url",
                            "set registry_url (or PROXPLANE_REGISTRY_URL) to the proxplane registry, postgresql://host:port/db");
                }
                engine = Engine.open(c.registryConfig(), resolver(c), EngineSettings.defaults());
            }
            return engine;
        }
    }

    /** The engine if it is open already; plan-time look-ups use it without opening the registry. */
    Engine engineIfConfigured() {
        ProviderConfig c = config.get();
        return c == null || c.registryUrl() == null ? null : engine();
    }

    /**
     * The DNS domain of a site already in the registry, for values known at plan time; empty when
     * the site is not registered yet or the provider has no registry.
     */
    java.util.Optional<String> registeredSiteDomain(String site) {
        if (site == null || engineIfConfigured() == null) {
            return java.util.Optional.empty();
        }
        return engine().registry().sites().findByName(site).map(s -> s.spec().dnsDomain());
    }

    /** Objects this process planned to create (see {@link #declare}). */
    private final java.util.Set<String> declared = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Records an object a resource of this plan creates or keeps: Terraform plans a resource after
     * the resources it refers to, so a reference to an object created in the same plan is accepted
     * once its resource was planned here.
     */
    void declare(References.Reference object) {
        declared.add(object.kind() + " " + object.key());
    }

    boolean declared(References.Reference reference) {
        return declared.contains(reference.kind() + " " + reference.key());
    }

    /**
     * The references that point at nothing, in the registry and among the objects planned so far;
     * none when the provider has no registry (plan then checks only what needs no registry).
     */
    java.util.List<io.proxplane.core.engine.EngineException> missing(java.util.List<References.Reference> refs) {
        if (refs.isEmpty() || engineIfConfigured() == null) {
            return java.util.List.of();
        }
        return engine().references().missing(refs, this::declared);
    }

    /** Values (a site's port, a domain's host name) claimed by resources planned in this process: value -> resource id. */
    private final java.util.concurrent.ConcurrentHashMap<String, String> plannedValues = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Records that the resource {@code id} of this plan takes {@code value}; returns the id of
     * another resource of the plan that took it first, if any.
     */
    java.util.Optional<String> claimPlanned(String value, String id) {
        String first = plannedValues.putIfAbsent(value, id);
        return first == null || first.equals(id) ? java.util.Optional.empty() : java.util.Optional.of(first);
    }

    /** The values another service holds (none when the provider has no registry). */
    java.util.List<io.proxplane.core.engine.EngineException> taken(References.ServiceValues values) {
        if (engineIfConfigured() == null) {
            return java.util.List.of();
        }
        return engine().references().taken(values);
    }

    /** Every container of the site from the cached bulk read. */
    public SiteObservation observe(String site) {
        return observations.get(site);
    }

    /** After a change to a site's containers the next read must look again. */
    public void changed(String site) {
        observations.invalidate(site);
    }

    private ProviderConfig configured() {
        ProviderConfig c = config.get();
        if (c == null) {
            throw new IllegalStateException("provider not configured");
        }
        return c;
    }

    /**
     * Credentials from the provider configuration only: an endpoint's credentials_ref names an
     * entry of {@code credentials} ("default" is the provider's api_token); the token id the site
     * records wins when the entry carries none. TLS follows the provider's TLS settings.
     */
    static CredentialsResolver resolver(ProviderConfig c) {
        return endpoint -> {
            String ref = endpoint.credentialsRef() == null ? ProviderConfig.DEFAULT_CREDENTIALS_REF : endpoint.credentialsRef();
            ProviderConfig.Token t = c.credentials().get(ref);
            if (t == null) {
                return null;
            }
            return new ProxmoxCredentials(t.tokenId(), t.secret(), c.tls());
        };
    }

    /** Proxmox requests the engine made so far, by "METHOD /path-template" (empty if it never opened). */
    public java.util.Map<String, Long> requestCounts() {
        java.util.Map<String, Long> sum = new java.util.TreeMap<>();
        Engine e = engine;
        if (e != null) {
            e.proxmoxClients().forEach(c -> c.requestCounts().forEach((k, v) -> sum.merge(k, v, Long::sum)));
        }
        return sum;
    }

    @Override
    public synchronized void close() {
        if (engine != null) {
            engine.close();
            engine = null;
        }
    }
}
