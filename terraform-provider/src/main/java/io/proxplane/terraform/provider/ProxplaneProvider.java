package io.proxplane.terraform.provider;

import io.proxplane.core.proxmox.ProxmoxClient;
import io.proxplane.core.proxmox.RetryPolicy;
import io.proxplane.terraform.diag.Diagnostics;
import io.proxplane.terraform.framework.DataSource;
import io.proxplane.terraform.framework.ProviderImplementation;
import io.proxplane.terraform.framework.Resource;
import io.proxplane.terraform.resources.EngineAccess;
import io.proxplane.terraform.resources.EngineResources;
import io.proxplane.terraform.schema.Schema;
import io.proxplane.terraform.value.TfValue;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxplane provider: configuration, the look-ups that need only Proxmox, and the managed
 * resources, which are thin mappings onto the engine in core ({@link EngineResources}).
 */
public final class ProxplaneProvider implements ProviderImplementation {

    private static final Logger LOG = LoggerFactory.getLogger(ProxplaneProvider.class);

    private final Map<String, String> env;
    private volatile ProxmoxClient client;
    private volatile ProviderConfig config;
    private final EngineAccess engine = new EngineAccess(() -> config);
    private final List<Resource> resources = EngineResources.resources(engine);
    private final List<DataSource> engineDataSources = EngineResources.dataSources(engine);

    public ProxplaneProvider(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Override
    public Schema providerSchema() {
        return ProviderConfig.schema();
    }

    @Override
    public List<DataSource> dataSources() {
        Supplier<ProxmoxClient> pve = this::client;
        List<DataSource> all = new java.util.ArrayList<>(List.of(new NodesDataSource(pve), new TemplatesDataSource(pve)));
        all.addAll(engineDataSources);
        return all;
    }

    @Override
    public List<Resource> resources() {
        return resources;
    }

    @Override
    public void validateConfig(TfValue.Obj config, Diagnostics diagnostics) {
        ProviderConfig.validate(config, env, diagnostics);
    }

    @Override
    public synchronized void configure(TfValue.Obj raw, String terraformVersion, Diagnostics diagnostics) {
        ProviderConfig c = ProviderConfig.validate(raw, env, diagnostics);
        if (c == null) {
            return;
        }
        try {
            ProxmoxClient built = ProxmoxClient.builder()
                    .endpoint(c.endpoint())
                    .apiToken(c.tokenId(), c.tokenSecret())
                    .tls(c.tls())
                    .connectTimeout(Duration.ofSeconds(10))
                    .retryPolicy(RetryPolicy.defaults())
                    .build();
            ProxmoxClient old = client;
            client = built;
            config = c;
            if (old != null) {
                old.close();
            }
            LOG.info("configured by {}: {}", terraformVersion, c);
        } catch (RuntimeException e) {
            diagnostics.error("Cannot set up the Proxmox client", e.getMessage());
        }
    }

    ProxmoxClient client() {
        ProxmoxClient c = client;
        if (c == null) {
            throw new IllegalStateException("provider not configured");
        }
        return c;
    }

    /** Proxmox requests this process made (data sources and engine), by "METHOD /path-template". */
    public Map<String, Long> proxmoxRequestCounts() {
        Map<String, Long> sum = new java.util.TreeMap<>(engine.requestCounts());
        ProxmoxClient c = client;
        if (c != null) {
            c.requestCounts().forEach((k, v) -> sum.merge(k, v, Long::sum));
        }
        return sum;
    }

    /** What the managed resources share (tests read the engine's Proxmox request counts through it). */
    public EngineAccess engineAccess() {
        return engine;
    }

    /** The registry URL the managed resources use; null when not set. */
    public String registryUrl() {
        ProviderConfig c = config;
        return c == null ? null : c.registryUrl();
    }
}
