package io.proxplane.ldap;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.proxplane.core.registry.RegistryConfig;
import io.proxplane.core.registry.RegistryUrl;
import io.proxplane.ldap.auth.BindAuditor;
import io.proxplane.ldap.auth.BindThrottle;
import io.proxplane.ldap.auth.LoggingBindAuditor;
import io.proxplane.ldap.auth.PasswordHashes;
import io.proxplane.ldap.directory.DirectoryLayout;
import io.proxplane.ldap.directory.DirectorySource;
import io.proxplane.ldap.directory.JsonDirectorySource;
import io.proxplane.ldap.ops.OpsHttpServer;
import io.proxplane.ldap.push.HttpPushNotifier;
import io.proxplane.ldap.registry.RegistryBindAuditor;
import io.proxplane.ldap.registry.RegistryDirectorySource;
import io.proxplane.ldap.push.PushCoordinator;
import io.proxplane.ldap.server.GatewayConfig;
import io.proxplane.ldap.server.RequestLimits;
import io.proxplane.ldap.tls.InternalCa;
import io.proxplane.ldap.tls.TlsMaterial;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the gateway. Every option is a flag {@code --name=value} or an environment variable
 * {@code PROXPLANE_LDAP_NAME} (upper case, dashes as underscores); flags win. Run with --help.
 */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    static final Map<String, String> OPTIONS = new LinkedHashMap<>();

    static {
        OPTIONS.put("base-dn", "directory suffix, e.g. dc=cluster,dc=example,dc=internal (or use --domain)");
        OPTIONS.put("domain", "derive the base DN from a DNS domain (a.b.c -> dc=a,dc=b,dc=c)");
        OPTIONS.put("registry-url", "registry URL, jdbc:postgresql://host:port/db (postgresql://user@host:port/db also accepted); the production directory source");
        OPTIONS.put("registry-user", "registry database user");
        OPTIONS.put("registry-password-file", "file holding the registry database password");
        OPTIONS.put("primary-gid", "primary gid of every registry user (default: each user's primary group from the registry, its private group unless it names one)");
        OPTIONS.put("directory-file", "JSON directory to serve instead of the registry (users, groups, serviceAccounts)");
        OPTIONS.put("listen", "LDAP listen address (default 127.0.0.1: loopback only; 0.0.0.0 for every interface)");
        OPTIONS.put("http-listen", "metrics and health listen address (default: the --listen address)");
        OPTIONS.put("ldap-port", "ldap:// port with StartTLS (default 389; -1 disables)");
        OPTIONS.put("ldaps-port", "ldaps:// port (default 636; -1 disables)");
        OPTIONS.put("http-port", "metrics and health port (default 9389; -1 disables)");
        OPTIONS.put("tls-cert", "PEM certificate chain (leaf first); with --tls-key");
        OPTIONS.put("tls-key", "PEM private key");
        OPTIONS.put("ca-dir", "internal CA directory (created if missing) used when no --tls-cert is given");
        OPTIONS.put("tls-san", "comma-separated DNS names / IPs for the internally issued certificate");
        OPTIONS.put("ca-cert-out", "write the internal CA certificate here for containers to trust");
        OPTIONS.put("allow-anonymous-search", "true to let anonymous connections search (default false)");
        OPTIONS.put("allow-plaintext-binds", "true to accept password binds without TLS (tests only; default false)");
        OPTIONS.put("user-private-groups", "true to serve a group per user whose gid has no group (default: on with --registry-url and no --primary-gid, else false)");
        OPTIONS.put("idle-timeout", "close connections without a request for this long (default PT10M)");
        OPTIONS.put("max-connections-per-address", "connections one client address may hold open (default 64)");
        OPTIONS.put("size-limit", "size limit of non-paged searches (default 500)");
        OPTIONS.put("snapshot-file", "keep the last good directory here (0600: it holds password hashes) and start from it while the registry is down (default: none)");
        OPTIONS.put("resync", "periodic full reload interval (default PT5M)");
        OPTIONS.put("max-staleness", "beyond this staleness /readyz says \"stale\" and proxplane_ldap_snapshot_stale is 1; the replica stays ready (default PT2M)");
        OPTIONS.put("push-url", "push service send-notification URL; enables push 2FA");
        OPTIONS.put("push-api-key", "apikey sent to the push service");
        OPTIONS.put("push-internal-secret", "x-internal-secret header for the push service");
        OPTIONS.put("push-wait", "longest a bind waits for a push answer (default PT27S)");
        OPTIONS.put("push-approval-window", "reuse an approval for this long per user and address (default PT60S)");
        OPTIONS.put("argon2-memory-kib", "argon2id memory for new hashes (default 19456)");
        OPTIONS.put("argon2-iterations", "argon2id iterations (default 2)");
        OPTIONS.put("lockout-failures", "failures of one account from one client address (5 min window) before that address is locked out of the account (default 5)");
        OPTIONS.put("lockout-duration", "how long such a lockout lasts (default PT5M)");
        OPTIONS.put("lockout-address-failures", "failures from one client address over all accounts (5 min window) before it may bind only accounts that succeeded from it in the last day (default 50)");
        OPTIONS.put("bind-slow-delay", "after 3 failures of an account from an address, each further attempt waits this much more, up to 5 times (default PT1S; PT0S disables)");
    }

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--help")) {
            System.out.println("proxplane ldap-gateway options (--name=value, --name value or env PROXPLANE_LDAP_NAME):");
            OPTIONS.forEach((k, v) -> System.out.printf("  --%-24s %s%n", k, v));
            return;
        }
        Map<String, String> o = parse(args, System.getenv());
        String base = o.containsKey("base-dn") ? o.get("base-dn")
                : o.containsKey("domain") ? DirectoryLayout.baseDnForDomain(o.get("domain")) : null;
        if (base == null) throw new IllegalArgumentException("--base-dn or --domain is required");
        MeterRegistry meters = new SimpleMeterRegistry();
        DirectorySource source;
        BindAuditor auditor = new LoggingBindAuditor();
        boolean userPrivateGroups = bool(o, "user-private-groups", false);
        if (o.containsKey("registry-url")) {
            RegistryUrl url = RegistryUrl.parse("--registry-url", o.get("registry-url"));
            String password = o.containsKey("registry-password-file")
                    ? Files.readString(Path.of(o.get("registry-password-file"))).strip() : url.password();
            String user = o.containsKey("registry-user") ? o.get("registry-user") : url.user();
            RegistryConfig rc = RegistryConfig.of(url.jdbcUrl(), user, password).withMaxPoolSize(2);
            Long primaryGid = o.containsKey("primary-gid") ? Long.parseLong(o.get("primary-gid")) : null;
            if (primaryGid == null) userPrivateGroups = true; // the registry's private gids need their groups served
            // Opened in the background: a gateway starts (from its saved snapshot) while PostgreSQL is down.
            source = RegistryDirectorySource.openingInBackground(rc, primaryGid);
            auditor = new RegistryBindAuditor(rc, auditor, meters);
        } else if (o.containsKey("directory-file")) {
            source = new JsonDirectorySource(Path.of(o.get("directory-file")));
        } else {
            throw new IllegalArgumentException("--registry-url (or --directory-file) is required");
        }

        SSLContext tls = null;
        if (o.containsKey("tls-cert") || o.containsKey("tls-key")) {
            if (!o.containsKey("tls-cert") || !o.containsKey("tls-key"))
                throw new IllegalArgumentException("--tls-cert and --tls-key go together");
            tls = TlsMaterial.fromPem(Path.of(o.get("tls-cert")), Path.of(o.get("tls-key"))).sslContext();
        } else if (o.containsKey("ca-dir")) {
            InternalCa ca = InternalCa.loadOrCreate(Path.of(o.get("ca-dir")), "proxplane LDAP CA");
            List<String> sans = List.of(o.getOrDefault("tls-san", "").split(",")).stream().map(String::trim)
                    .filter(s -> !s.isEmpty()).toList();
            if (sans.isEmpty()) throw new IllegalArgumentException("--tls-san is required with --ca-dir: the names clients connect to");
            tls = ca.issueServerCertificate(sans, Duration.ofDays(90)).sslContext();
            if (o.containsKey("ca-cert-out")) ca.writeCertificate(Path.of(o.get("ca-cert-out")));
        }
        boolean plaintextBinds = bool(o, "allow-plaintext-binds", false);
        if (tls == null && !plaintextBinds) {
            log.warn("no TLS configured and plaintext binds refused: only anonymous RootDSE reads and service lookups without passwords will work");
        }
        GatewayConfig config = GatewayConfig.defaults()
                .withAnonymousSearch(bool(o, "allow-anonymous-search", false))
                .withRequireTlsForBind(!plaintextBinds)
                .withSizeLimit(Integer.parseInt(o.getOrDefault("size-limit", "500")))
                .withLimits(RequestLimits.DEFAULT
                        .withIdleTimeout(duration(o, "idle-timeout", RequestLimits.DEFAULT.idleTimeout()))
                        .withMaxConnectionsPerAddress(integer(o, "max-connections-per-address",
                                RequestLimits.DEFAULT.maxConnectionsPerAddress())));
        PushCoordinator push = null;
        if (o.containsKey("push-url")) {
            Duration wait = Duration.parse(o.getOrDefault("push-wait", "PT27S"));
            push = new PushCoordinator(new HttpPushNotifier(o.get("push-url"), o.get("push-api-key"),
                    o.get("push-internal-secret"), wait.plusSeconds(3)), wait,
                    Duration.parse(o.getOrDefault("push-approval-window", "PT60S")), Clock.systemUTC());
        }
        var settings = new Gateway.Settings(new DirectoryLayout(base, userPrivateGroups), config,
                new PasswordHashes.Argon2Cost(Integer.parseInt(o.getOrDefault("argon2-memory-kib", "19456")),
                        Integer.parseInt(o.getOrDefault("argon2-iterations", "2")), 1),
                new BindThrottle.Policy(integer(o, "lockout-failures", 5), integer(o, "lockout-address-failures", 50),
                        Duration.ofMinutes(5), duration(o, "lockout-duration", Duration.ofMinutes(5)), 3,
                        o.containsKey("bind-slow-delay") && Duration.parse(o.get("bind-slow-delay")).isZero() ? Duration.ZERO
                                : duration(o, "bind-slow-delay", Duration.ofSeconds(1))),
                InetAddress.getByName(o.getOrDefault("listen", "127.0.0.1")),
                Integer.parseInt(o.getOrDefault("ldap-port", "389")),
                tls == null ? -1 : Integer.parseInt(o.getOrDefault("ldaps-port", "636")), tls,
                Duration.parse(o.getOrDefault("resync", "PT5M")), false,
                o.containsKey("snapshot-file") ? Path.of(o.get("snapshot-file")) : null);
        Gateway gateway = new Gateway(settings, source, push, auditor, meters, Clock.systemUTC());
        int httpPort = Integer.parseInt(o.getOrDefault("http-port", "9389"));
        OpsHttpServer ops = httpPort < 0 ? null : new OpsHttpServer(
                new InetSocketAddress(o.containsKey("http-listen") ? InetAddress.getByName(o.get("http-listen"))
                        : settings.address(), httpPort), meters, gateway.refresher(),
                Duration.parse(o.getOrDefault("max-staleness", "PT2M")));
        log.info("ldap-gateway serving {} on ldap:{} ldaps:{} http:{}", base, gateway.ldapPort(), gateway.ldapsPort(),
                ops == null ? -1 : ops.port());
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (ops != null) ops.close();
            gateway.close();
            stop.countDown();
        }));
        stop.await();
    }

    static Map<String, String> parse(String[] args, Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : OPTIONS.keySet()) {
            String v = env.get("PROXPLANE_LDAP_" + key.toUpperCase(Locale.ROOT).replace('-', '_'));
            if (v != null && !v.isBlank()) out.put(key, v);
        }
        // Both --name=value and --name value, like every proxplane command.
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.length() == 2) throw new IllegalArgumentException("expected --name=value or --name value, got '" + a + "'");
            int eq = a.indexOf('=');
            String key = eq < 0 ? a.substring(2) : a.substring(2, eq);
            if (!OPTIONS.containsKey(key)) throw new IllegalArgumentException("unknown option --" + key + " (see --help)");
            if (eq < 0 && i + 1 >= args.length) throw new IllegalArgumentException("--" + key + ": missing value");
            out.put(key, eq < 0 ? args[++i] : a.substring(eq + 1));
        }
        return out;
    }

    static Duration duration(Map<String, String> o, String key, Duration dflt) {
        String v = o.get(key);
        if (v == null) return dflt;
        try {
            Duration d = Duration.parse(v);
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("--" + key + " must be positive, got '" + v + "'");
            return d;
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("--" + key + " must be an ISO-8601 duration such as PT10M, got '" + v + "'");
        }
    }

    static int integer(Map<String, String> o, String key, int dflt) {
        String v = o.get(key);
        if (v == null) return dflt;
        try {
            int n = Integer.parseInt(v);
            if (n <= 0) throw new IllegalArgumentException("--" + key + " must be a positive integer, got '" + v + "'");
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be a positive integer, got '" + v + "'");
        }
    }

    private static boolean bool(Map<String, String> o, String key, boolean dflt) {
        String v = o.get(key);
        if (v == null) return dflt;
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException("--" + key + " must be true or false, got '" + v + "'");
        };
    }
}
