package io.proxplane.core.registry;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An external (public) DNS apex. {@code tlsSource} describes where the certificate comes from
 * (secret or file references, ACME settings) and never holds key material.
 */
public record ExternalDomainSpec(String name, Long siteId, JsonNode tlsSource, String authServerUrl) {
    public ExternalDomainSpec {
        tlsSource = tlsSource == null ? Db.JSON.createObjectNode() : tlsSource;
    }
}
