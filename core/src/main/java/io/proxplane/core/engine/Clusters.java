package io.proxplane.core.engine;

import io.proxplane.core.proxmox.ProxmoxClient;
import io.proxplane.core.proxmox.RetryPolicy;
import io.proxplane.core.proxmox.model.ClusterResource;
import io.proxplane.core.registry.ProxmoxEndpoint;
import io.proxplane.core.registry.Site;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One {@link ProxmoxClient} per endpoint (credentials resolved once, kept in memory), and the
 * bulk read of a site: one {@code GET /cluster/resources} per cluster.
 */
final class Clusters implements AutoCloseable {
    private final Function<ProxmoxEndpoint, ProxmoxClient> factory;
    private final Map<String, ProxmoxClient> clients = new ConcurrentHashMap<>();
    // The endpoint each client was made for: what the engine records beside the objects it makes there.
    private final Map<String, ProxmoxEndpoint> endpoints = new ConcurrentHashMap<>();

    Clusters(CredentialsResolver resolver, Duration taskPollInitial, Duration taskPollMax) {
        this.factory = endpoint -> {
            ProxmoxCredentials cred = resolver.resolve(endpoint);
            if (cred == null) {
                throw new EngineException(EngineException.Kind.PROXMOX_AUTHENTICATION,
                        "no credentials for Proxmox endpoint " + endpoint.url(),
                        "provide the secret named by credentialsRef '" + endpoint.credentialsRef() + "'");
            }
            ProxmoxClient.Builder b = ProxmoxClient.builder().endpoint(endpoint.url())
                    .apiToken(cred.tokenId() != null ? cred.tokenId() : endpoint.tokenId(), cred.secret())
                    .retryPolicy(RetryPolicy.of(4, Duration.ofMillis(100), Duration.ofSeconds(2)))
                    .taskPolling(taskPollInitial, taskPollMax);
            if (cred.tls() != null) {
                b.tls(cred.tls());
            }
            return b.build();
        };
    }

    ProxmoxClient client(ProxmoxEndpoint endpoint) {
        endpoints.put(endpoint.url(), endpoint);
        return clients.computeIfAbsent(endpoint.url(), u -> factory.apply(endpoint));
    }

    /** The endpoint a client was last asked for under this URL (so a URL alone can be recorded in full). */
    ProxmoxEndpoint endpoint(String url) {
        ProxmoxEndpoint e = endpoints.get(url);
        return e != null ? e : new ProxmoxEndpoint(url, null, null);
    }

    /**
     * Drops the endpoint's client so the next call resolves the credentials again (a rotated API
     * token). The old client is not closed: a converge running on another thread may still be using
     * it; its idle connections time out on their own.
     */
    boolean forget(String url) {
        return clients.remove(url) != null;
    }

    /** Every client made so far (benchmarks add up their request counts). */
    List<ProxmoxClient> clients() {
        return List.copyOf(clients.values());
    }

    /** One bulk read per cluster of the site. */
    SiteView observe(Site site, ProxmoxErrors errors) {
        List<SiteView.ClusterView> views = new ArrayList<>();
        for (ProxmoxEndpoint endpoint : site.spec().proxmoxEndpoints()) {
            ProxmoxClient client = client(endpoint);
            List<ClusterResource> resources = errors.retrying("read /cluster/resources of " + endpoint.url(),
                    () -> client.cluster().resources());
            views.add(new SiteView.ClusterView(endpoint, client, resources));
        }
        return new SiteView(site, views);
    }

    @Override
    public void close() {
        clients.values().forEach(ProxmoxClient::close);
        clients.clear();
    }
}
