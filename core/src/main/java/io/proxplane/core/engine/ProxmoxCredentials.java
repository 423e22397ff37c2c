package io.proxplane.core.engine;

import io.proxplane.core.proxmox.TlsTrust;

/** An API token and how to trust the endpoint's certificate; lives in memory only. */
public record ProxmoxCredentials(String tokenId, String secret, TlsTrust tls) {
    @Override
    public String toString() {
        return "ProxmoxCredentials[tokenId=" + tokenId + ", secret=***]";
    }
}
