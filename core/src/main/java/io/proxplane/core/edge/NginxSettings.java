package io.proxplane.core.edge;

import io.proxplane.core.model.ConfigPath;
import io.proxplane.core.model.HeaderName;
import io.proxplane.core.model.Ipv4Address;
import io.proxplane.core.model.Port;
import io.proxplane.core.model.UploadSize;
import io.proxplane.core.model.ValidationException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How the rendered nginx configuration is deployed: where it listens, where its files and runtime
 * state live, and the few tunables. Production uses {@link #defaults()}; tests point everything at
 * loopback high ports and a temporary directory.
 *
 * @param listenAddress      address for every listener; empty = all addresses
 * @param httpsPort          port of the TLS listener for HTTP services
 * @param httpRedirectPort   plain-HTTP listener that redirects to https; empty = none
 * @param publicHttpsPort    port clients see (differs from httpsPort behind NAT/a Kubernetes
 *                           Service); used in redirects and {@code X-Forwarded-Port}
 * @param clientMaxBodySize  upload limit per request (bodies are streamed, not buffered)
 * @param proxyTimeout       read/send timeout towards backends (long enough for idle WebSockets)
 * @param configDirectory    directory holding http.conf and stream.conf (for the include lines)
 * @param runtimeDirectory   pid file, logs and temp paths
 * @param modules            dynamic modules to load (e.g. Debian's ngx_stream_module.so)
 * @param defaultCertificate certificate of the global catch-all server; empty = reject the TLS
 *                           handshake for names under no external domain
 * @param workerUser         {@code user} directive when the master runs as root; empty = none
 * @param identityHeaders    headers copied from the auth server's answer to the backend, and
 *                           stripped from client requests everywhere so they cannot be forged
 */
public record NginxSettings(
        Optional<Ipv4Address> listenAddress,
        Port httpsPort,
        Optional<Port> httpRedirectPort,
        Port publicHttpsPort,
        UploadSize clientMaxBodySize,
        Duration proxyTimeout,
        ConfigPath configDirectory,
        ConfigPath runtimeDirectory,
        List<ConfigPath> modules,
        Optional<TlsFiles> defaultCertificate,
        Optional<String> workerUser,
        List<HeaderName> identityHeaders,
        Layout layout) {

    /**
     * How HTTP services map to {@code server} blocks. Every {@code server} with TLS loads its
     * certificate and key at (re)load and {@code nginx -t}, so the count of blocks sets the cost of
     * a change at scale.
     */
    public enum Layout {
        /** A block per domain (plus one for its protected services); hosts routed through a map. */
        SERVER_PER_DOMAIN,
        /** A block per service, as before 0.2; kept to measure the difference (EdgeBenchmark). */
        SERVER_PER_SERVICE
    }

    public NginxSettings(Optional<Ipv4Address> listenAddress, Port httpsPort, Optional<Port> httpRedirectPort,
            Port publicHttpsPort, UploadSize clientMaxBodySize, Duration proxyTimeout, ConfigPath configDirectory,
            ConfigPath runtimeDirectory, List<ConfigPath> modules, Optional<TlsFiles> defaultCertificate,
            Optional<String> workerUser, List<HeaderName> identityHeaders) {
        this(listenAddress, httpsPort, httpRedirectPort, publicHttpsPort, clientMaxBodySize, proxyTimeout, configDirectory,
                runtimeDirectory, modules, defaultCertificate, workerUser, identityHeaders, Layout.SERVER_PER_DOMAIN);
    }

    /** The identity headers of the built-in verify endpoint (seed, gateway era). */
    public static final List<HeaderName> DEFAULT_IDENTITY_HEADERS = List.of(
            new HeaderName("X-User-ID"), new HeaderName("X-Username"), new HeaderName("X-User-First-Name"),
            new HeaderName("X-User-Last-Name"), new HeaderName("X-Email"), new HeaderName("X-Groups"));

    public NginxSettings {
        EdgeSnapshot.required("nginx.listenAddress", listenAddress);
        EdgeSnapshot.required("nginx.httpsPort", httpsPort);
        EdgeSnapshot.required("nginx.httpRedirectPort", httpRedirectPort);
        EdgeSnapshot.required("nginx.publicHttpsPort", publicHttpsPort);
        EdgeSnapshot.required("nginx.clientMaxBodySize", clientMaxBodySize);
        EdgeSnapshot.required("nginx.proxyTimeout", proxyTimeout);
        EdgeSnapshot.required("nginx.configDirectory", configDirectory);
        EdgeSnapshot.required("nginx.runtimeDirectory", runtimeDirectory);
        modules = List.copyOf(EdgeSnapshot.required("nginx.modules", modules));
        EdgeSnapshot.required("nginx.defaultCertificate", defaultCertificate);
        EdgeSnapshot.required("nginx.workerUser", workerUser);
        identityHeaders = List.copyOf(EdgeSnapshot.required("nginx.identityHeaders", identityHeaders));
        EdgeSnapshot.required("nginx.layout", layout);
        if (proxyTimeout.isNegative() || proxyTimeout.isZero() || proxyTimeout.toSeconds() > 86_400
                || proxyTimeout.toMillis() % 1000 != 0) {
            throw new ValidationException("nginx.proxyTimeout", "must be whole seconds between 1 s and 1 day; got " + proxyTimeout);
        }
        if (workerUser.isPresent() && !workerUser.get().matches("[a-z_][a-z0-9_-]{0,31}")) {
            throw new ValidationException("nginx.workerUser", "must be a user name [a-z_][a-z0-9_-]{0,31}");
        }
        if (httpRedirectPort.isPresent() && httpRedirectPort.get().equals(httpsPort)) {
            throw new ValidationException("nginx.httpRedirectPort", "must differ from httpsPort " + httpsPort);
        }
    }

    /** Production layout on a Debian host. */
    public static NginxSettings defaults() {
        return new NginxSettings(Optional.empty(), new Port(443), Optional.of(new Port(80)), new Port(443),
                new UploadSize(2L << 30), Duration.ofMinutes(10), new ConfigPath("/etc/nginx/proxplane"),
                new ConfigPath("/var/lib/proxplane-edge/nginx"), List.of(), Optional.empty(), Optional.empty(),
                DEFAULT_IDENTITY_HEADERS);
    }

    public NginxSettings withListen(Ipv4Address address, Port https, Optional<Port> httpRedirect) {
        return new NginxSettings(Optional.of(address), https, httpRedirect, https, clientMaxBodySize, proxyTimeout,
                configDirectory, runtimeDirectory, modules, defaultCertificate, workerUser, identityHeaders, layout);
    }

    public NginxSettings withPublicHttpsPort(Port port) {
        return new NginxSettings(listenAddress, httpsPort, httpRedirectPort, port, clientMaxBodySize, proxyTimeout,
                configDirectory, runtimeDirectory, modules, defaultCertificate, workerUser, identityHeaders, layout);
    }

    public NginxSettings withDirectories(ConfigPath config, ConfigPath runtime) {
        return new NginxSettings(listenAddress, httpsPort, httpRedirectPort, publicHttpsPort, clientMaxBodySize,
                proxyTimeout, config, runtime, modules, defaultCertificate, workerUser, identityHeaders, layout);
    }

    public NginxSettings withModules(List<ConfigPath> newModules) {
        return new NginxSettings(listenAddress, httpsPort, httpRedirectPort, publicHttpsPort, clientMaxBodySize,
                proxyTimeout, configDirectory, runtimeDirectory, newModules, defaultCertificate, workerUser, identityHeaders, layout);
    }

    public NginxSettings withDefaultCertificate(Optional<TlsFiles> certificate) {
        return new NginxSettings(listenAddress, httpsPort, httpRedirectPort, publicHttpsPort, clientMaxBodySize,
                proxyTimeout, configDirectory, runtimeDirectory, modules, certificate, workerUser, identityHeaders, layout);
    }

    public NginxSettings withWorkerUser(Optional<String> user) {
        return new NginxSettings(listenAddress, httpsPort, httpRedirectPort, publicHttpsPort, clientMaxBodySize,
                proxyTimeout, configDirectory, runtimeDirectory, modules, defaultCertificate, user, identityHeaders, layout);
    }

    public NginxSettings withClientMaxBodySize(UploadSize size) {
        return new NginxSettings(listenAddress, httpsPort, httpRedirectPort, publicHttpsPort, size, proxyTimeout,
                configDirectory, runtimeDirectory, modules, defaultCertificate, workerUser, identityHeaders, layout);
    }

    public NginxSettings withIdentityHeaders(List<HeaderName> headers) {
        return new NginxSettings(listenAddress, httpsPort, httpRedirectPort, publicHttpsPort, clientMaxBodySize,
                proxyTimeout, configDirectory, runtimeDirectory, modules, defaultCertificate, workerUser, headers, layout);
    }

    public NginxSettings withLayout(Layout newLayout) {
        return new NginxSettings(listenAddress, httpsPort, httpRedirectPort, publicHttpsPort, clientMaxBodySize,
                proxyTimeout, configDirectory, runtimeDirectory, modules, defaultCertificate, workerUser, identityHeaders, newLayout);
    }

    /** A certificate chain and its private key, both PEM files. */
    public record TlsFiles(ConfigPath certificate, ConfigPath key) {
        public TlsFiles {
            EdgeSnapshot.required("tls.certificate", certificate);
            EdgeSnapshot.required("tls.key", key);
        }
    }
}
