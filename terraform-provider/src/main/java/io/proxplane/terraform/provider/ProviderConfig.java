package io.proxplane.terraform.provider;

import io.proxplane.core.proxmox.TlsTrust;
import io.proxplane.terraform.diag.AttributePath;
import io.proxplane.terraform.diag.Diagnostics;
import io.proxplane.terraform.schema.Attribute;
import io.proxplane.terraform.schema.Block;
import io.proxplane.terraform.schema.Schema;
import io.proxplane.terraform.value.TfType;
import io.proxplane.terraform.value.TfValue;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The provider block. Every attribute may instead come from an environment variable (named after
 * the bpg provider's where one exists, so existing CI set-ups carry over); the attribute wins.
 */
public record ProviderConfig(URI endpoint, String tokenId, String tokenSecret, TlsTrust tls, String registryUrl,
                             String registryPassword, String workspace, Map<String, Token> credentials) {

    /** One API token, split; the secret is only ever handed to the Proxmox client. */
    public record Token(String tokenId, String secret) {
        @Override
        public String toString() {
            return tokenId + "=***";
        }
    }

    public static final String ENDPOINT = "endpoint";
    public static final String API_TOKEN = "api_token";
    public static final String INSECURE = "insecure";
    public static final String CA_FILE = "ca_file";
    public static final String TLS_FINGERPRINT = "tls_fingerprint";
    public static final String REGISTRY_URL = "registry_url";
    public static final String REGISTRY_PASSWORD = "registry_password";
    public static final String WORKSPACE = "workspace";
    public static final String CREDENTIALS = "credentials";
    /** The credentials_ref a site endpoint gets when it names none: the provider's own api_token. */
    public static final String DEFAULT_CREDENTIALS_REF = "default";

    /** attribute -> environment variable. */
    public static final Map<String, String> ENV = Map.of(
            ENDPOINT, "PROXMOX_VE_ENDPOINT",
            API_TOKEN, "PROXMOX_VE_API_TOKEN",
            INSECURE, "PROXMOX_VE_INSECURE",
            CA_FILE, "PROXMOX_VE_CA_FILE",
            TLS_FINGERPRINT, "PROXMOX_VE_TLS_FINGERPRINT",
            REGISTRY_URL, "PROXPLANE_REGISTRY_URL",
            REGISTRY_PASSWORD, "PROXPLANE_REGISTRY_PASSWORD",
            WORKSPACE, "TF_WORKSPACE",
            CREDENTIALS, "PROXPLANE_CREDENTIALS");

    private static final Pattern TOKEN = Pattern.compile("([^\\s:/=]+@[A-Za-z][A-Za-z0-9.\\-_]+![A-Za-z][A-Za-z0-9.\\-_]+)=(\\S+)");
    private static final Pattern WORKSPACE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,62}");
    private static final Pattern REF = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:/\\-]{0,252}");
    private static final Pattern REGISTRY = Pattern.compile("(jdbc:)?postgres(ql)?://[^\\s/]+(:\\d+)?/[^\\s?]+(\\?\\S*)?");

    public static Schema schema() {
        return Schema.of(new Block(java.util.List.of(
                Attribute.optional(ENDPOINT, TfType.STRING,
                        "Proxmox VE API endpoint, e.g. https://pve.example:8006 (env PROXMOX_VE_ENDPOINT)."),
                Attribute.optional(API_TOKEN, TfType.STRING,
                        "API token as USER@REALM!TOKENID=SECRET (env PROXMOX_VE_API_TOKEN).").asSensitive(),
                Attribute.optional(INSECURE, TfType.BOOL,
                        "Accept any server certificate; for experiments only (env PROXMOX_VE_INSECURE)."),
                Attribute.optional(CA_FILE, TfType.STRING,
                        "PEM file with the CA that signed the Proxmox certificate, e.g. a copy of /etc/pve/pve-root-ca.pem (env PROXMOX_VE_CA_FILE)."),
                Attribute.optional(TLS_FINGERPRINT, TfType.STRING,
                        "Pin the server certificate by its SHA-256 fingerprint AB:CD:... as the PVE GUI shows it (env PROXMOX_VE_TLS_FINGERPRINT)."),
                Attribute.optional(REGISTRY_URL, TfType.STRING,
                        "proxplane registry database, postgresql://[user@]host[:port]/db (env PROXPLANE_REGISTRY_URL); needed by the managed resources."
                                + " Sensitive: a URL may carry a password.").asSensitive(),
                Attribute.optional(REGISTRY_PASSWORD, TfType.STRING,
                        "Password of the registry database user (env PROXPLANE_REGISTRY_PASSWORD); not needed with trust or peer authentication.").asSensitive(),
                Attribute.optional(WORKSPACE, TfType.STRING,
                        "Names this configuration as the manager of what it creates: objects are marked terraform:<workspace>, "
                                + "and objects of other managers are never changed (env TF_WORKSPACE, default \"default\")."),
                Attribute.optional(CREDENTIALS, TfType.mapOf(TfType.STRING),
                        "API tokens (USER@REALM!TOKENID=SECRET) by the credentials_ref a proxplane_site endpoint names; "
                                + "an endpoint without one (or with \"default\") uses api_token. Kept in memory only. "
                                + "Env PROXPLANE_CREDENTIALS: REF=TOKEN entries separated by spaces or commas; attribute entries win.").asSensitive()),
                java.util.List.of(),
                "proxplane: Proxmox VE as a self-service container platform."));
    }

    /**
     * Checks what can be checked; unknown attribute values are skipped (they are checked again at
     * configure time, when they are known). Returns the configuration if it is complete and valid.
     */
    public static ProviderConfig validate(TfValue.Obj config, Map<String, String> env, Diagnostics d) {
        Setting endpoint = setting(config, env, ENDPOINT);
        Setting token = setting(config, env, API_TOKEN);
        Setting insecure = setting(config, env, INSECURE);
        Setting caFile = setting(config, env, CA_FILE);
        Setting pin = setting(config, env, TLS_FINGERPRINT);
        Setting registry = setting(config, env, REGISTRY_URL);
        int before = d.all().size();

        URI uri = null;
        if (endpoint.missing()) {
            d.error(AttributePath.of(ENDPOINT), "Missing Proxmox endpoint",
                    "Set endpoint in the provider block or the PROXMOX_VE_ENDPOINT environment variable, e.g. https://pve.example:8006.");
        } else if (endpoint.known()) {
            uri = parseEndpoint(endpoint, d);
        }
        String tokenId = null;
        String tokenSecret = null;
        if (token.missing()) {
            d.error(AttributePath.of(API_TOKEN), "Missing Proxmox API token",
                    "Set api_token in the provider block or PROXMOX_VE_API_TOKEN, as USER@REALM!TOKENID=SECRET.");
        } else if (token.known()) {
            var m = TOKEN.matcher(token.text());
            if (!m.matches()) {
                // Never echo the value: it is a secret.
                d.error(AttributePath.of(API_TOKEN), "Invalid API token" + token.fromEnvSuffix(),
                        "Expected USER@REALM!TOKENID=SECRET, e.g. terraform@pve!ci=0b6f...; the value given does not have that shape.");
            } else {
                tokenId = m.group(1);
                tokenSecret = m.group(2);
            }
        }
        Boolean insecureFlag = null;
        if (insecure.known() && !insecure.missing()) {
            insecureFlag = insecure.bool(d);
        }
        TlsTrust tls = TlsTrust.system();
        int tlsChoices = (Boolean.TRUE.equals(insecureFlag) ? 1 : 0) + (caFile.missing() ? 0 : 1) + (pin.missing() ? 0 : 1);
        if (tlsChoices > 1) {
            AttributePath where = !pin.missing() ? AttributePath.of(TLS_FINGERPRINT) : AttributePath.of(CA_FILE);
            d.error(where, "Conflicting TLS settings", "Use only one of insecure = true, ca_file and tls_fingerprint.");
        } else if (Boolean.TRUE.equals(insecureFlag)) {
            tls = TlsTrust.insecure();
        } else if (!caFile.missing() && caFile.known()) {
            Path p = Path.of(caFile.text());
            if (!Files.isRegularFile(p)) {
                d.error(AttributePath.of(CA_FILE), "CA file not found" + caFile.fromEnvSuffix(), "No readable file at '" + p + "'.");
            } else {
                tls = TlsTrust.caBundle(p);
            }
        } else if (!pin.missing() && pin.known()) {
            try {
                tls = TlsTrust.pinnedSha256(pin.text());
            } catch (IllegalArgumentException e) {
                d.error(AttributePath.of(TLS_FINGERPRINT), "Invalid TLS fingerprint" + pin.fromEnvSuffix(), e.getMessage());
            }
        }
        if (!registry.missing() && registry.known() && !REGISTRY.matcher(registry.text()).matches()) {
            d.error(AttributePath.of(REGISTRY_URL), "Invalid registry URL" + registry.fromEnvSuffix(),
                    "Expected postgresql://host:port/database, got '" + registry.text() + "'.");
        }
        Setting registryPassword = setting(config, env, REGISTRY_PASSWORD);
        Setting workspace = setting(config, env, WORKSPACE);
        if (!workspace.missing() && workspace.known() && !WORKSPACE_NAME.matcher(workspace.text()).matches()) {
            d.error(AttributePath.of(WORKSPACE), "Invalid workspace" + workspace.fromEnvSuffix(),
                    "Expected 1-63 characters [A-Za-z0-9_.-] starting with a letter or digit, got '" + workspace.text() + "'.");
        }
        Map<String, Token> credentials = new java.util.TreeMap<>();
        String credsEnv = env.get(ENV.get(CREDENTIALS));
        if (credsEnv != null && !credsEnv.isBlank()) {
            for (String entry : credsEnv.strip().split("[,\\s]+")) {
                int eq = entry.indexOf('=');
                String ref = eq > 0 ? entry.substring(0, eq) : entry;
                var m = TOKEN.matcher(eq > 0 ? entry.substring(eq + 1) : "");
                if (!REF.matcher(ref).matches() || !m.matches()) {
                    // Name the reference only when it is well formed: the entry may be a bare secret.
                    d.error(AttributePath.of(CREDENTIALS), "Invalid PROXPLANE_CREDENTIALS entry",
                            "Expected REF=USER@REALM!TOKENID=SECRET entries separated by spaces or commas"
                                    + (eq > 0 && REF.matcher(ref).matches() ? "; the entry for '" + ref + "' does not have that shape." : "."));
                } else {
                    credentials.put(ref, new Token(m.group(1), m.group(2)));
                }
            }
        }
        TfValue creds = config.get(CREDENTIALS);
        if (creds instanceof TfValue.Obj map) {
            map.entries().forEach((ref, value) -> {
                AttributePath where = AttributePath.of(CREDENTIALS).key(ref);
                if (!REF.matcher(ref).matches()) {
                    d.error(where, "Invalid credentials_ref", "'" + ref + "' is not a reference name ([A-Za-z0-9_.:/-], up to 253).");
                } else if (value instanceof TfValue.Str t) {
                    var m = TOKEN.matcher(t.value());
                    if (!m.matches()) {
                        d.error(where, "Invalid API token", "Expected USER@REALM!TOKENID=SECRET; the value given does not have that shape.");
                    } else {
                        credentials.put(ref, new Token(m.group(1), m.group(2)));
                    }
                }
            });
        }
        boolean allKnown = endpoint.known() && token.known() && insecure.known() && caFile.known() && pin.known() && registry.known()
                && registryPassword.known() && workspace.known() && creds.isWhollyKnown();
        if (d.all().size() > before || !allKnown) {
            return null;
        }
        if (tokenId != null) {
            credentials.putIfAbsent(DEFAULT_CREDENTIALS_REF, new Token(tokenId, tokenSecret));
        }
        return new ProviderConfig(uri, tokenId, tokenSecret, tls, registry.missing() ? null : registry.text(),
                registryPassword.missing() ? null : registryPassword.text(),
                workspace.missing() ? "default" : workspace.text(), Map.copyOf(credentials));
    }

    private static URI parseEndpoint(Setting endpoint, Diagnostics d) {
        try {
            URI uri = new URI(endpoint.text().strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((!scheme.equals("https") && !scheme.equals("http")) || uri.getHost() == null) {
                d.error(AttributePath.of(ENDPOINT), "Invalid Proxmox endpoint" + endpoint.fromEnvSuffix(),
                        "Expected a URL like https://pve.example:8006, got '" + endpoint.text() + "'.");
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            d.error(AttributePath.of(ENDPOINT), "Invalid Proxmox endpoint" + endpoint.fromEnvSuffix(),
                    "Not a URL: " + e.getMessage());
            return null;
        }
    }

    /** One setting: the attribute's value, else the environment variable's. */
    private record Setting(String attribute, TfValue value, String envVar, String envText) {

        boolean known() {
            return value.isKnown();
        }

        boolean missing() {
            return value.isNull() && (envText == null || envText.isBlank());
        }

        String text() {
            return value instanceof TfValue.Str s ? s.value() : envText;
        }

        Boolean bool(Diagnostics d) {
            if (value instanceof TfValue.Bool b) {
                return b.value();
            }
            String t = envText.strip().toLowerCase(Locale.ROOT);
            return switch (t) {
                case "true", "1", "yes" -> true;
                case "false", "0", "no", "" -> false;
                default -> {
                    d.error(AttributePath.of(attribute), "Invalid " + envVar, "Expected true or false, got '" + envText + "'.");
                    yield null;
                }
            };
        }

        String fromEnvSuffix() {
            return value.isNull() ? " (from " + envVar + ")" : "";
        }
    }

    private static Setting setting(TfValue.Obj config, Map<String, String> env, String attribute) {
        String envVar = ENV.get(attribute);
        return new Setting(attribute, config.get(attribute), envVar, env.get(envVar));
    }

    @Override
    public String toString() {
        return "ProviderConfig[endpoint=" + endpoint + ", token=" + tokenId + ", tls=" + tls + ", registry=" + registryUrl
                + ", workspace=" + workspace + ", credentials=" + credentials.keySet() + "]";
    }

    /** The manager string the engine records on everything this configuration creates. */
    public String manager() {
        return "terraform:" + workspace;
    }

    /**
     * The registry as JDBC settings: {@code postgresql://[user[:password]@]host[:port]/db[?params]}
     * becomes {@code jdbc:postgresql://host:port/db[?params]} with the user (default postgres) and
     * password (registry_password wins over one in the URL).
     */
    public io.proxplane.core.registry.RegistryConfig registryConfig() {
        if (registryUrl == null) {
            return null;
        }
        String rest = registryUrl.replaceFirst("^(jdbc:)?postgres(ql)?://", "");
        String user = "postgres";
        String password = null;
        int at = rest.indexOf('@');
        if (at >= 0 && at < rest.indexOf('/')) {
            String info = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = info.indexOf(':');
            user = java.net.URLDecoder.decode(colon < 0 ? info : info.substring(0, colon), java.nio.charset.StandardCharsets.UTF_8);
            if (colon >= 0) {
                password = java.net.URLDecoder.decode(info.substring(colon + 1), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        if (registryPassword != null) {
            password = registryPassword;
        }
        return io.proxplane.core.registry.RegistryConfig.of("jdbc:postgresql://" + rest, user, password).withMaxPoolSize(4);
    }
}
