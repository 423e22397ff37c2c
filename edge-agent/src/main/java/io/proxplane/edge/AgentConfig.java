package io.proxplane.edge;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the agent is told at start-up. Each option is a flag {@code --name=value} (or
 * {@code --name value}) or the environment variable {@code PROXPLANE_EDGE_NAME} (upper case,
 * dashes as underscores); a flag wins over the environment. Bad values fail start-up with the
 * option's name.
 */
public record AgentConfig(
        String registryUrl,
        String registryUser,
        String registryPassword,
        String site,
        String agentId,
        Path nginxBinary,
        Path nginxDir,
        Path nginxRuntimeDir,
        Optional<String> nginxListen,
        int nginxHttpsPort,
        int nginxHttpPort,
        int nginxPublicHttpsPort,
        Optional<List<Path>> nginxModules,
        Optional<String> nginxWorkerUser,
        Optional<Path> nginxDefaultCertificate,
        Optional<Path> nginxDefaultKey,
        String clientMaxBodySize,
        boolean dnsmasqEnabled,
        Path dnsmasqBinary,
        Path dnsmasqDir,
        Path dnsmasqPidFile,
        Optional<String> dnsmasqListen,
        int dnsmasqPort,
        Optional<Path> dnsmasqLeaseFile,
        Optional<int[]> dnsmasqDhcpPorts,
        Optional<String> dnsmasqUser,
        Path tlsCertificateDir,
        Path tlsKeyDir,
        Duration leaseTime,
        Duration debounce,
        Duration maxDelay,
        Duration resyncInterval,
        Duration heartbeatInterval,
        boolean followFeed,
        boolean manageProcesses,
        Duration commandTimeout,
        Optional<String> httpListen,
        Path acmeDir,
        String acmeDirectoryUrl,
        Optional<Path> acmeCaFile,
        Duration acmeCheckInterval,
        Duration certificateCheckInterval,
        Duration superviseInterval,
        io.proxplane.core.edge.NginxSettings.Layout nginxLayout) {

    /** Option name to its description; also the set of accepted names. */
    static final Map<String, String> OPTIONS = new LinkedHashMap<>();

    static {
        OPTIONS.put("registry-url", "registry URL, jdbc:postgresql://host:port/db (postgresql://user@host:port/db also accepted) (required)");
        OPTIONS.put("registry-user", "database user (default postgres)");
        OPTIONS.put("registry-password", "database password; prefer the environment or registry-password-file");
        OPTIONS.put("registry-password-file", "file holding the database password");
        OPTIONS.put("site", "name of the site whose edge this agent serves (required)");
        OPTIONS.put("agent-id", "name reported in edge_agent_status (default: host name)");
        OPTIONS.put("nginx-binary", "nginx executable (default /usr/sbin/nginx)");
        OPTIONS.put("nginx-dir", "directory of the versioned nginx configs and the 'live' symlink (default /etc/nginx/proxplane)");
        OPTIONS.put("nginx-runtime-dir", "pid file, logs and temp paths (default /var/lib/proxplane-edge/nginx)");
        OPTIONS.put("nginx-listen", "IPv4 address to listen on (default: all)");
        OPTIONS.put("nginx-https-port", "TLS port (default 443)");
        OPTIONS.put("nginx-http-port", "plain-HTTP redirect port, 0 = none (default 80)");
        OPTIONS.put("nginx-public-https-port", "port clients see (default: nginx-https-port)");
        OPTIONS.put("nginx-modules", "comma-separated dynamic modules to load, or 'auto' (default auto: from nginx -V)");
        OPTIONS.put("nginx-worker-user", "nginx 'user' directive (default none)");
        OPTIONS.put("nginx-default-certificate", "certificate of the catch-all server (default: reject the handshake)");
        OPTIONS.put("nginx-default-key", "key of the catch-all server");
        OPTIONS.put("client-max-body-size", "upload limit, nginx syntax (default 2g)");
        OPTIONS.put("dnsmasq", "manage dnsmasq too: true or false (default true)");
        OPTIONS.put("dnsmasq-binary", "dnsmasq executable (default /usr/sbin/dnsmasq)");
        OPTIONS.put("dnsmasq-dir", "directory of the live dnsmasq.conf (default /etc/proxplane-edge/dnsmasq)");
        OPTIONS.put("dnsmasq-pid-file", "dnsmasq pid file (default /run/proxplane-edge/dnsmasq.pid)");
        OPTIONS.put("dnsmasq-listen", "IPv4 address dnsmasq answers on (default: all)");
        OPTIONS.put("dnsmasq-port", "DNS port (default 53)");
        OPTIONS.put("dnsmasq-lease-file", "DHCP lease file (default /var/lib/misc/dnsmasq.leases)");
        OPTIONS.put("dnsmasq-dhcp-ports", "alternate DHCP ports 'server,client' (default: standard)");
        OPTIONS.put("dnsmasq-user", "user dnsmasq runs as (default: dnsmasq's own default)");
        OPTIONS.put("tls-certificate-dir", "where <domain>.crt files live (default /etc/ssl/certs)");
        OPTIONS.put("tls-key-dir", "where <domain>.key files live (default /etc/ssl/private)");
        OPTIONS.put("lease-time", "DHCP lease time (default 12h)");
        OPTIONS.put("debounce", "quiet period after a change before applying (default 150ms)");
        OPTIONS.put("max-delay", "longest a change waits while changes keep coming (default 1s)");
        OPTIONS.put("resync-interval", "full resync period (default 5m)");
        OPTIONS.put("heartbeat-interval", "heartbeat period (default 30s)");
        OPTIONS.put("follow-feed", "follow the change feed: true, or false to only poll every resync-interval (default true)");
        OPTIONS.put("manage-processes", "start nginx/dnsmasq when they are not running (default true)");
        OPTIONS.put("command-timeout", "limit for nginx -t, dnsmasq --test and starts (default 60s)");
        OPTIONS.put("http-listen", "host:port of /healthz, /readyz, /metrics, or 'off' (default 127.0.0.1:9464)");
        OPTIONS.put("acme-dir", "ACME accounts, keys and certificates, owner-only (default /var/lib/proxplane-edge/acme)");
        OPTIONS.put("acme-directory-url", "ACME directory for domains that name none (default Let's Encrypt: "
                + "https://acme-v02.api.letsencrypt.org/directory)");
        OPTIONS.put("acme-ca-file", "PEM CA certificates to trust for the ACME server's own TLS (default: the JDK's)");
        OPTIONS.put("acme-check-interval", "how often certificates are checked for renewal (default 1h)");
        OPTIONS.put("certificate-check-interval", "how often certificate files are checked for changes (default 1m)");
        OPTIONS.put("nginx-layout", "server-per-domain (default: one server block per external domain, hosts routed by map) "
                + "or server-per-service (one per service, the layout before 0.2; slow at thousands of services)");
        OPTIONS.put("supervise-interval", "how often nginx and dnsmasq are checked and restarted if dead (default 5s)");
    }

    static final String ENV_PREFIX = "PROXPLANE_EDGE_";

    public static String usage() {
        StringBuilder out = new StringBuilder("usage: edge-agent [--option=value | --option value ...]\n"
                + "Every option can also be set as environment variable " + ENV_PREFIX + "<OPTION> (upper case, '_' for '-').\n\n");
        OPTIONS.forEach((name, text) -> out.append(String.format("  --%-26s %s%n", name, text)));
        return out.toString();
    }

    /** Reads flags over environment. */
    public static AgentConfig parse(List<String> args, Map<String, String> env) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : OPTIONS.keySet()) {
            String value = env.get(ENV_PREFIX + name.toUpperCase(Locale.ROOT).replace('-', '_'));
            if (value != null) {
                values.put(name, value);
            }
        }
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("argument '" + arg + "': expected --option=value");
            }
            String name;
            String value;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(2, eq);
                value = arg.substring(eq + 1);
            } else {
                name = arg.substring(2);
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException("--" + name + ": missing value");
                }
                value = args.get(++i);
            }
            if (!OPTIONS.containsKey(name)) {
                throw new IllegalArgumentException("--" + name + ": unknown option; known: " + OPTIONS.keySet());
            }
            values.put(name, value);
        }
        return fromValues(values);
    }

    static AgentConfig fromValues(Map<String, String> v) {
        Reader r = new Reader(v);
        String password = r.string("registry-password", null);
        String passwordFile = r.string("registry-password-file", null);
        if (password == null && passwordFile != null) {
            try {
                password = Files.readString(Path.of(passwordFile)).strip();
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("registry-password-file: cannot read " + passwordFile + ": " + e.getMessage());
            }
        }
        io.proxplane.core.registry.RegistryUrl registry =
                io.proxplane.core.registry.RegistryUrl.parse("registry-url", r.required("registry-url"));
        String url = registry.jdbcUrl();
        if (password == null) {
            password = registry.password();
        }
        int httpsPort = r.port("nginx-https-port", 443, false);
        String modules = r.string("nginx-modules", "auto");
        Optional<List<Path>> moduleList = modules.equals("auto") ? Optional.empty()
                : Optional.of(splitComma(modules).stream().map(Path::of).toList());
        String dhcp = r.string("dnsmasq-dhcp-ports", null);
        Optional<int[]> dhcpPorts = Optional.empty();
        if (dhcp != null) {
            List<String> parts = splitComma(dhcp);
            if (parts.size() != 2) {
                throw new IllegalArgumentException("dnsmasq-dhcp-ports: '" + dhcp + "' must be 'server,client'");
            }
            dhcpPorts = Optional.of(new int[] {parsePort("dnsmasq-dhcp-ports", parts.get(0)), parsePort("dnsmasq-dhcp-ports", parts.get(1))});
        }
        String httpListen = r.string("http-listen", "127.0.0.1:9464");
        return new AgentConfig(
                url,
                r.string("registry-user", registry.user() != null ? registry.user() : "postgres"),
                password,
                r.required("site"),
                r.string("agent-id", defaultAgentId()),
                r.path("nginx-binary", "/usr/sbin/nginx"),
                r.path("nginx-dir", "/etc/nginx/proxplane"),
                r.path("nginx-runtime-dir", "/var/lib/proxplane-edge/nginx"),
                Optional.ofNullable(r.string("nginx-listen", null)),
                httpsPort,
                r.port("nginx-http-port", 80, true),
                r.port("nginx-public-https-port", httpsPort, false),
                moduleList,
                Optional.ofNullable(r.string("nginx-worker-user", null)),
                Optional.ofNullable(r.string("nginx-default-certificate", null)).map(Path::of),
                Optional.ofNullable(r.string("nginx-default-key", null)).map(Path::of),
                r.string("client-max-body-size", "2g"),
                r.bool("dnsmasq", true),
                r.path("dnsmasq-binary", "/usr/sbin/dnsmasq"),
                r.path("dnsmasq-dir", "/etc/proxplane-edge/dnsmasq"),
                r.path("dnsmasq-pid-file", "/run/proxplane-edge/dnsmasq.pid"),
                Optional.ofNullable(r.string("dnsmasq-listen", null)),
                r.port("dnsmasq-port", 53, false),
                Optional.of(r.path("dnsmasq-lease-file", "/var/lib/misc/dnsmasq.leases")),
                dhcpPorts,
                Optional.ofNullable(r.string("dnsmasq-user", null)),
                r.path("tls-certificate-dir", "/etc/ssl/certs"),
                r.path("tls-key-dir", "/etc/ssl/private"),
                r.duration("lease-time", "12h"),
                r.duration("debounce", "150ms"),
                r.duration("max-delay", "1s"),
                r.duration("resync-interval", "5m"),
                r.duration("heartbeat-interval", "30s"),
                r.bool("follow-feed", true),
                r.bool("manage-processes", true),
                r.duration("command-timeout", "60s"),
                httpListen.equals("off") ? Optional.empty() : Optional.of(httpListen),
                r.path("acme-dir", "/var/lib/proxplane-edge/acme"),
                acmeDirectoryUrl(r.string("acme-directory-url", "https://acme-v02.api.letsencrypt.org/directory")),
                Optional.ofNullable(r.string("acme-ca-file", null)).map(Path::of),
                r.duration("acme-check-interval", "1h"),
                r.duration("certificate-check-interval", "1m"),
                r.duration("supervise-interval", "5s"),
                layout(r.string("nginx-layout", "server-per-domain")));
    }

    private static io.proxplane.core.edge.NginxSettings.Layout layout(String raw) {
        return switch (raw) {
            case "server-per-domain" -> io.proxplane.core.edge.NginxSettings.Layout.SERVER_PER_DOMAIN;
            case "server-per-service" -> io.proxplane.core.edge.NginxSettings.Layout.SERVER_PER_SERVICE;
            default -> throw new IllegalArgumentException("nginx-layout: '" + raw + "' must be server-per-domain or server-per-service");
        };
    }

    private static String acmeDirectoryUrl(String raw) {
        if (!raw.startsWith("https://")) {
            throw new IllegalArgumentException("acme-directory-url: '" + raw + "' must be an https URL");
        }
        return raw;
    }

    public AgentConfig {
        if (nginxDefaultCertificate.isPresent() != nginxDefaultKey.isPresent()) {
            throw new IllegalArgumentException("nginx-default-certificate/nginx-default-key: give both or neither");
        }
        if (maxDelay.compareTo(debounce) < 0) {
            throw new IllegalArgumentException("max-delay: " + maxDelay + " must not be shorter than debounce " + debounce);
        }
        for (var interval : List.of(Map.entry("acme-check-interval", acmeCheckInterval),
                Map.entry("certificate-check-interval", certificateCheckInterval), Map.entry("supervise-interval", superviseInterval))) {
            if (interval.getValue().toMillis() < 100) {
                throw new IllegalArgumentException(interval.getKey() + ": " + interval.getValue() + " must be at least 100ms");
            }
        }
        if (!agentId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
            throw new IllegalArgumentException("agent-id: '" + agentId + "' must match [A-Za-z0-9][A-Za-z0-9._-]{0,127}");
        }
    }

    /** Secrets stay out of logs. */
    @Override
    public String toString() {
        return "AgentConfig[registry=" + registryUrl + " user=" + registryUser + " site=" + site + " agentId=" + agentId
                + " nginxDir=" + nginxDir + " dnsmasq=" + (dnsmasqEnabled ? dnsmasqDir : "off")
                + " debounce=" + debounce + " maxDelay=" + maxDelay + " resync=" + resyncInterval
                + " followFeed=" + followFeed + "]";
    }

    static String defaultAgentId() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "edge-agent";
            }
        }
        String cleaned = host.replaceAll("[^A-Za-z0-9._-]", "-");
        return cleaned.isEmpty() || !Character.isLetterOrDigit(cleaned.charAt(0)) ? "edge-agent" : cleaned;
    }

    static List<String> splitComma(String raw) {
        List<String> out = new ArrayList<>();
        for (String part : raw.split(",")) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        return out;
    }

    static int parsePort(String name, String raw) {
        try {
            int port = Integer.parseInt(raw.strip());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(name + ": '" + raw + "' is not a port 1-65535");
    }

    /** {@code 150ms}, {@code 5s}, {@code 5m}, {@code 12h}, {@code 1d} or ISO-8601 ({@code PT5S}). */
    static Duration parseDuration(String name, String raw) {
        String s = raw.strip().toLowerCase(Locale.ROOT);
        try {
            if (s.startsWith("pt") || s.startsWith("p")) {
                return Duration.parse(s.toUpperCase(Locale.ROOT));
            }
            for (var unit : List.of(Map.entry("ms", 1L), Map.entry("s", 1000L), Map.entry("m", 60_000L),
                    Map.entry("h", 3_600_000L), Map.entry("d", 86_400_000L))) {
                if (s.endsWith(unit.getKey())) {
                    String number = s.substring(0, s.length() - unit.getKey().length());
                    if (!number.isEmpty() && number.chars().allMatch(Character::isDigit)) {
                        return Duration.ofMillis(Long.parseLong(number) * unit.getValue());
                    }
                }
            }
        } catch (RuntimeException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(name + ": '" + raw + "' is not a duration like 150ms, 5s, 5m, 12h or PT5S");
    }

    private record Reader(Map<String, String> values) {
        String string(String name, String fallback) {
            String v = values.get(name);
            return v == null || v.isBlank() ? fallback : v.strip();
        }

        String required(String name) {
            String v = string(name, null);
            if (v == null) {
                throw new IllegalArgumentException(name + ": required (flag --" + name + " or " + ENV_PREFIX
                        + name.toUpperCase(Locale.ROOT).replace('-', '_') + ")");
            }
            return v;
        }

        Path path(String name, String fallback) {
            Path p = Path.of(string(name, fallback));
            if (!p.isAbsolute()) {
                throw new IllegalArgumentException(name + ": '" + p + "' must be an absolute path");
            }
            return p.normalize();
        }

        int port(String name, int fallback, boolean zeroAllowed) {
            String v = string(name, null);
            if (v == null) {
                return fallback;
            }
            if (zeroAllowed && v.equals("0")) {
                return 0;
            }
            return parsePort(name, v);
        }

        boolean bool(String name, boolean fallback) {
            String v = string(name, null);
            if (v == null) {
                return fallback;
            }
            if (Set.of("true", "yes", "1", "on").contains(v.toLowerCase(Locale.ROOT))) {
                return true;
            }
            if (Set.of("false", "no", "0", "off").contains(v.toLowerCase(Locale.ROOT))) {
                return false;
            }
            throw new IllegalArgumentException(name + ": '" + v + "' must be true or false");
        }

        Duration duration(String name, String fallback) {
            return parseDuration(name, string(name, fallback));
        }
    }
}
