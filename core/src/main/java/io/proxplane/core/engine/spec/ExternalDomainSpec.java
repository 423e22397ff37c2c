package io.proxplane.core.engine.spec;

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
public record ExternalDomainSpec(String name, String site, Map<String, String> tlsSource, String authServerUrl) {
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
    }
}
