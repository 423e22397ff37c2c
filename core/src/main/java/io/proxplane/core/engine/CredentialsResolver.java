package io.proxplane.core.engine;

import io.proxplane.core.registry.ProxmoxEndpoint;

/**
 * Turns the registry's reference to a secret ({@code credentialsRef}) into credentials: the
 * operator reads a Kubernetes Secret, the Terraform provider its configuration. Secrets never
 * enter the registry.
 */
@FunctionalInterface
public interface CredentialsResolver {
    ProxmoxCredentials resolve(ProxmoxEndpoint endpoint);
}
