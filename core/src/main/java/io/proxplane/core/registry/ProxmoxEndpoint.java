package io.proxplane.core.registry;

import java.util.Locale;

/**
 * How to reach one Proxmox VE cluster or standalone host. {@code credentialsRef} names where the
 * secret lives (a Kubernetes Secret, an environment variable); the secret itself never enters the registry.
 */
public record ProxmoxEndpoint(String url, String tokenId, String credentialsRef) {

    /**
     * What identifies the endpoint's cluster in the registry: the URL in lower case, without trailing
     * slashes or {@code /api2/json}, without an explicit {@code :443} on https. Sites whose endpoints
     * have a key in common are on the same Proxmox cluster: they share one vmid space and one network
     * per bridge. The SQL function {@code proxplane_endpoint_key} (migration V4) is the same rule.
     */
    public String clusterKey() {
        return clusterKey(url);
    }

    public static String clusterKey(String url) {
        String k = url.strip().toLowerCase(Locale.ROOT).replaceAll("/+(api2/json/*)?$", "");
        return k.replaceAll("^(https://[^/]+):443($|/)", "$1$2");
    }
}
