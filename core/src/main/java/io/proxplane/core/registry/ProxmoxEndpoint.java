package io.proxplane.core.registry;

/**
 * How to reach one Proxmox VE cluster or standalone host. {@code credentialsRef} names where the
 * secret lives (a Kubernetes Secret, an environment variable); the secret itself never enters the registry.
 */
public record ProxmoxEndpoint(String url, String tokenId, String credentialsRef) {}
