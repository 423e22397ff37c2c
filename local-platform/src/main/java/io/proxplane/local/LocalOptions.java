package io.proxplane.local;

import java.nio.file.Path;

/**
 * Command-line options of the local platform; every one has an embedded default so that the
 * README's one command runs the whole platform on a fresh machine.
 */
record LocalOptions(boolean help, String proxmoxUrl, String tokenId, String tokenSecret, boolean insecure,
                    Path tlsCa, String tlsFingerprint, int simulatorPort, Path projectRoot, Path stateDir, Path example,
                    String registryUrl, String registryUser, int ldapPort, int ldapsPort, int httpsPort, int dnsPort,
                    boolean once) {

    static final String SIMULATOR_TOKEN_ID = "root@pam!local";
    static final String SIMULATOR_TOKEN_SECRET = "proxplane-local";

    static final String USAGE = """
            usage: bin/proxplane-local [options]
            Runs the whole platform on this machine: the Proxmox VE simulator (unless --proxmox-url is
            given), the registry on the local PostgreSQL, the LDAP gateway, an OpenTofu apply of
            examples/terraform, and the edge (nginx + dnsmasq) for its site. Ctrl-C stops it.

              --proxmox-url URL         a real Proxmox VE (https://host:8006); default: the embedded simulator
              --token USER@REALM!ID=SECRET   API token for --proxmox-url (or $PROXMOX_TOKEN)
              --tls-ca FILE             trust this CA bundle (PEM) for --proxmox-url, e.g. /etc/pve/pve-root-ca.pem
              --tls-fingerprint AB:CD:..  pin the Proxmox certificate's SHA-256 fingerprint
              --insecure                skip TLS verification of --proxmox-url (explicit opt-out)
              --simulator-port N        port of the embedded simulator (default 0 = any free port)
              --registry-url URL        registry database (default jdbc:postgresql://127.0.0.1:5432/proxplane_local;
                                        created when missing; postgresql://user@host:port/db also accepted)
              --registry-user NAME      its user (default postgres)
              --example DIR             Terraform configuration to apply (default examples/terraform)
              --state-dir DIR           working files, logs, certificates, Terraform state (default .local/platform)
              --ldap-port N             LDAP with StartTLS on 127.0.0.1 (default 10389)
              --ldaps-port N            LDAPS on 127.0.0.1 (default 10636)
              --https-port N            nginx HTTPS on 127.0.0.1 (default 8443)
              --dns-port N              dnsmasq DNS on 127.0.0.1 (default 5353)
              --once                    apply, check every component, destroy, and exit (what the tests run)
              --help
            Every option can also be written --name=value.
            """;

    static LocalOptions parse(String[] args, Path projectRoot) {
        String url = null;
        String token = System.getenv("PROXMOX_TOKEN");
        boolean insecure = false;
        Path tlsCa = null;
        String fingerprint = null;
        int simulatorPort = 0;
        Path stateDir = projectRoot.resolve(".local/platform");
        Path example = projectRoot.resolve("examples/terraform");
        String registryUrl = "jdbc:postgresql://127.0.0.1:5432/proxplane_local";
        String registryUser = "postgres";
        int ldapPort = 10389;
        int ldapsPort = 10636;
        int httpsPort = 8443;
        int dnsPort = 5353;
        boolean once = false;
        String urlUser = null;
        boolean userGiven = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            // --name=value and --name value are the same option, as in every proxplane command.
            String inline = null;
            int eq = a.startsWith("--") ? a.indexOf('=') : -1;
            if (eq > 2) {
                inline = a.substring(eq + 1);
                a = a.substring(0, eq);
                if (a.equals("--help") || a.equals("--once") || a.equals("--insecure")) {
                    throw new IllegalArgumentException(a + " takes no value");
                }
            }
            switch (a) {
                case "--help", "-h" -> {
                    return new LocalOptions(true, null, null, null, false, null, null, 0, projectRoot, stateDir, example,
                            registryUrl, registryUser, 0, 0, 0, 0, false);
                }
                case "--once" -> once = true;
                case "--insecure" -> insecure = true;
                default -> {
                    if (inline == null && i + 1 >= args.length) {
                        throw new IllegalArgumentException("unknown option or missing value: " + a);
                    }
                    String v = inline != null ? inline : args[++i];
                    switch (a) {
                        case "--proxmox-url" -> url = v;
                        case "--token" -> token = v;
                        case "--tls-fingerprint" -> fingerprint = v;
                        case "--tls-ca" -> {
                            tlsCa = Path.of(v).toAbsolutePath();
                            if (!java.nio.file.Files.isReadable(tlsCa)) {
                                throw new IllegalArgumentException("--tls-ca " + v + " is not a readable file");
                            }
                        }
                        case "--simulator-port" -> simulatorPort = port(a, v, true);
                        case "--registry-url" -> {
                            io.proxplane.core.registry.RegistryUrl parsed = io.proxplane.core.registry.RegistryUrl.parse("--registry-url", v);
                            registryUrl = parsed.jdbcUrl();
                            urlUser = parsed.user();
                        }
                        case "--registry-user" -> {
                            registryUser = v;
                            userGiven = true;
                        }
                        case "--example" -> example = Path.of(v).toAbsolutePath();
                        case "--state-dir" -> stateDir = Path.of(v).toAbsolutePath();
                        case "--ldap-port" -> ldapPort = port(a, v, false);
                        case "--ldaps-port" -> ldapsPort = port(a, v, false);
                        case "--https-port" -> httpsPort = port(a, v, false);
                        case "--dns-port" -> dnsPort = port(a, v, false);
                        default -> throw new IllegalArgumentException("unknown option: " + a);
                    }
                }
            }
        }
        if (urlUser != null && !userGiven) {
            registryUser = urlUser;
        }
        String tokenId = null;
        String secret = null;
        if (url != null) {
            if (token == null) {
                throw new IllegalArgumentException("--proxmox-url needs --token USER@REALM!ID=SECRET (or $PROXMOX_TOKEN)");
            }
            int bang = token.indexOf('!');
            int eq = token.indexOf('=', Math.max(bang, 0));
            if (bang < 0 || eq < 0) {
                throw new IllegalArgumentException("--token must look like USER@REALM!ID=SECRET");
            }
            tokenId = token.substring(0, eq);
            secret = token.substring(eq + 1);
        }
        if ((insecure ? 1 : 0) + (tlsCa != null ? 1 : 0) + (fingerprint != null ? 1 : 0) > 1) {
            throw new IllegalArgumentException("--insecure, --tls-ca and --tls-fingerprint exclude each other");
        }
        return new LocalOptions(false, url, tokenId, secret, insecure, tlsCa, fingerprint, simulatorPort, projectRoot, stateDir,
                example, registryUrl, registryUser, ldapPort, ldapsPort, httpsPort, dnsPort, once);
    }

    private static int port(String option, String raw, boolean zeroAllowed) {
        int p;
        try {
            p = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a port number, got '" + raw + "'");
        }
        if (p < (zeroAllowed ? 0 : 1) || p > 65535) {
            throw new IllegalArgumentException(option + " must be in " + (zeroAllowed ? 0 : 1) + "-65535, got " + p);
        }
        return p;
    }

    /** The database name of {@link #registryUrl()}, for creating it when missing. */
    String registryDatabase() {
        String rest = registryUrl.substring("jdbc:postgresql://".length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("--registry-url needs a database name: jdbc:postgresql://host:port/NAME");
        }
        String db = rest.substring(slash + 1);
        int q = db.indexOf('?');
        return q < 0 ? db : db.substring(0, q);
    }

    /** The same server's maintenance database, where CREATE DATABASE runs. */
    String maintenanceUrl() {
        String db = registryDatabase();
        return registryUrl.replaceFirst("/" + java.util.regex.Pattern.quote(db) + "(\\?|$)", "/postgres$1");
    }
}
