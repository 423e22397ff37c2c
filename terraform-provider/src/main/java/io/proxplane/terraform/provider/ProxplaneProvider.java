package io.proxplane.terraform.provider;

import io.proxplane.core.proxmox.ProxmoxClient;
import io.proxplane.core.proxmox.RetryPolicy;
import io.proxplane.terraform.diag.Diagnostics;
import io.proxplane.terraform.framework.DataSource;
import io.proxplane.terraform.framework.ProviderImplementation;
import io.proxplane.terraform.framework.Resource;
import io.proxplane.terraform.schema.Schema;
import io.proxplane.terraform.value.TfValue;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxplane provider: configuration and the lookups that need only Proxmox. The managed
 * resources (containers, services, pools, users, groups) plug in as {@link Resource}s over the
 * engine once it exists; none is registered until then.
 */
public final class ProxplaneProvider implements ProviderImplementation {

    private static final Logger LOG = LoggerFactory.getLogger(ProxplaneProvider.class);

    private final Map<String, String> env;
    private volatile ProxmoxClient client;
    private volatile ProviderConfig config;

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
        return List.of(new NodesDataSource(pve), new TemplatesDataSource(pve));
    }

    @Override
    public List<Resource> resources() {
        return List.of();
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

    /** The registry URL the managed resources will use; null when not set. */
    public String registryUrl() {
        ProviderConfig c = config;
        return c == null ? null : c.registryUrl();
    }
}
