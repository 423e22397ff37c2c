package io.proxplane.core.engine.spec;

import io.proxplane.core.edge.ForwardAuth;
import io.proxplane.core.edge.TlsSource;
import io.proxplane.core.model.DomainName;
import io.proxplane.core.model.HttpUrl;
import io.proxplane.core.model.ValidationException;

import java.util.Map;
import java.util.TreeMap;

/**
 * A public DNS apex under which HTTP services get host names. {@code tlsSource} holds references
 * only ({@code certificateFile}/{@code keyFile}, or {@code acmeEmail} and the other ACME settings;
 * see {@link TlsSource}), never key material; {@code site} is the optional default site.
 */
public record ExternalDomainSpec(String name, String site, Map<String, String> tlsSource, String authServerUrl,
        ForwardAuth.Settings forwardAuth) {

    public ExternalDomainSpec(String name, String site, Map<String, String> tlsSource, String authServerUrl) {
        this(name, site, tlsSource, authServerUrl, null);
    }

    public ExternalDomainSpec {
        name = DomainName.of("name", name).value();
        if (!name.contains(".")) {
            throw new ValidationException("name", "must have at least two labels, e.g. example.com");
        }
        site = site == null ? null : Check.label("site", site);
        Map<String, String> tls = new TreeMap<>();
        if (tlsSource != null) {
            tlsSource.forEach((k, v) -> {
                String field = "tlsSource." + ValidationException.show(k).replace("'", "");
                Check.singleLine(field, Check.required(field, v), 1024);
                if (v.contains("-----BEGIN")) {
                    throw new ValidationException(field, "must reference a certificate or key, not contain one");
                }
                tls.put(k, v);
            });
        }
        // typed: the same rules the edge applies to the registry row (paths nginx can load, ACME settings)
        TlsSource.parse("tlsSource", tls);
        tlsSource = Map.copyOf(tls);
        authServerUrl = authServerUrl == null ? null : HttpUrl.of("authServerUrl", authServerUrl).toString();
        forwardAuth = forwardAuth == null || forwardAuth.isEmpty() ? null : forwardAuth;
        if (forwardAuth != null) {
            if (authServerUrl == null) {
                throw new ValidationException("forwardAuth", "needs authServerUrl (the auth server's base URL)");
            }
            // the layout the edge will render, so every value is checked here already
            ForwardAuth.of("forwardAuth", "authServerUrl", authServerUrl, forwardAuth);
        }
    }
}
