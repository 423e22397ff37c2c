package io.proxplane.core.engine.spec;

import io.proxplane.core.model.DomainName;
import io.proxplane.core.model.HttpUrl;
import io.proxplane.core.model.ValidationException;

import java.util.Map;
import java.util.TreeMap;

/**
 * A public DNS apex under which HTTP services get host names. {@code tlsSource} holds references
 * only (e.g. {@code secretName}, {@code certificateFile}/{@code keyFile}, {@code acmeEmail}), never key
 * material; {@code site} is the optional default site.
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
                if (k == null || !k.matches("[A-Za-z][A-Za-z0-9]{0,63}")) {
                    throw new ValidationException("tlsSource", "keys are identifiers like secretName, got '" + k + "'");
                }
                Check.singleLine("tlsSource." + k, Check.required("tlsSource." + k, v), 1024);
                if (v.contains("-----BEGIN")) {
                    throw new ValidationException("tlsSource." + k, "must reference a certificate or key, not contain one");
                }
                tls.put(k, v);
            });
        }
        tlsSource = Map.copyOf(tls);
        authServerUrl = authServerUrl == null ? null : HttpUrl.of("authServerUrl", authServerUrl).toString();
    }
}
