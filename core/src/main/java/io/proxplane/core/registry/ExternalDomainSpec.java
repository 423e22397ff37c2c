package io.proxplane.core.registry;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An external (public) DNS apex. {@code tlsSource} describes where the certificate comes from
 * (file references or ACME settings) and never holds key material; {@code forwardAuth} the layout
 * of the auth server at {@code authServerUrl} ({@code {}} = the built-in layout).
 */
public record ExternalDomainSpec(String name, Long siteId, JsonNode tlsSource, String authServerUrl, JsonNode forwardAuth) {
    public ExternalDomainSpec {
        tlsSource = tlsSource == null ? Db.JSON.createObjectNode() : tlsSource;
        forwardAuth = forwardAuth == null ? Db.JSON.createObjectNode() : forwardAuth;
    }

    public ExternalDomainSpec(String name, Long siteId, JsonNode tlsSource, String authServerUrl) {
        this(name, siteId, tlsSource, authServerUrl, null);
    }
}
