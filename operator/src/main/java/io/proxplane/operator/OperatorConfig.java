package io.proxplane.operator;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The process contract with the Helm chart: configuration by environment variables only, checked
 * at start so bad configuration fails at once with the variable's name. Pure.
 */
public record OperatorConfig(String registryUrl, String registryUser, String registryPassword, Set<String> watchNamespaces,
                             boolean leaderElection, String leaseNamespace, String leaseName, String identity, int httpPort,
                             Duration resyncInterval, String podNamespace) {

    public static final String REGISTRY_URL = "PROXPLANE_REGISTRY_URL";
    public static final String REGISTRY_USER = "PROXPLANE_REGISTRY_USER";
    public static final String REGISTRY_PASSWORD = "PROXPLANE_REGISTRY_PASSWORD";
    public static final String WATCH_NAMESPACES = "PROXPLANE_WATCH_NAMESPACES";
    public static final String LEADER_ELECTION = "PROXPLANE_LEADER_ELECTION";
    public static final String LEADER_ELECTION_NAMESPACE = "PROXPLANE_LEADER_ELECTION_NAMESPACE";
    public static final String LEADER_ELECTION_LEASE = "PROXPLANE_LEADER_ELECTION_LEASE";
    public static final String POD_NAME = "POD_NAME";
    public static final String POD_NAMESPACE = "POD_NAMESPACE";
    public static final String HTTP_PORT = "PROXPLANE_HTTP_PORT";
    public static final String RESYNC_INTERVAL = "PROXPLANE_RESYNC_INTERVAL";

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    /** Thrown for bad configuration; the message starts with the variable's name. */
    public static final class ConfigException extends IllegalArgumentException {
        ConfigException(String variable, String reason) {
            super(variable + ": " + reason);
        }
    }

    public static OperatorConfig fromEnv(Map<String, String> env) {
        String rawUrl = required(env, REGISTRY_URL);
        io.proxplane.core.registry.RegistryUrl registry;
        try {
            registry = io.proxplane.core.registry.RegistryUrl.parse(REGISTRY_URL, rawUrl);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(REGISTRY_URL, "must be a PostgreSQL URL like jdbc:postgresql://db:5432/proxplane"
                    + " (or postgresql://user@db:5432/proxplane), got '" + rawUrl + "'");
        }
        String url = registry.jdbcUrl();
        // The user may come with a postgresql:// URL; an explicit variable wins.
        String user = blankToNull(env.get(REGISTRY_USER)) != null || registry.user() == null
                ? required(env, REGISTRY_USER) : registry.user();
        String password = blankToNull(env.get(REGISTRY_PASSWORD));
        if (password == null) {
            password = registry.password();
        }

        Set<String> namespaces = new LinkedHashSet<>();
        String ns = blankToNull(env.get(WATCH_NAMESPACES));
        if (ns != null) {
            for (String n : Arrays.stream(ns.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList()) {
                if (!DNS_LABEL.matcher(n).matches()) {
                    throw new ConfigException(WATCH_NAMESPACES, "'" + n + "' is not a namespace name");
                }
                namespaces.add(n);
            }
        }

        boolean leader = bool(env, LEADER_ELECTION, true);
        String podNamespace = blankToNull(env.get(POD_NAMESPACE));
        String leaseNamespace = blankToNull(env.get(LEADER_ELECTION_NAMESPACE));
        if (leaseNamespace == null) leaseNamespace = podNamespace;
        String lease = blankToNull(env.get(LEADER_ELECTION_LEASE));
        if (lease == null) lease = "proxplane-operator";
        String identity = blankToNull(env.get(POD_NAME));
        if (leader) {
            if (leaseNamespace == null) {
                throw new ConfigException(LEADER_ELECTION_NAMESPACE, "is required with leader election when " + POD_NAMESPACE
                        + " is not set (set it from the downward API, or set " + LEADER_ELECTION + "=false)");
            }
            if (!DNS_LABEL.matcher(leaseNamespace).matches()) {
                throw new ConfigException(env.get(LEADER_ELECTION_NAMESPACE) != null ? LEADER_ELECTION_NAMESPACE : POD_NAMESPACE,
                        "'" + leaseNamespace + "' is not a namespace name");
            }
            if (!DNS_SUBDOMAIN.matcher(lease).matches()) {
                throw new ConfigException(LEADER_ELECTION_LEASE, "'" + lease + "' is not a Lease name");
            }
            if (identity == null) {
                throw new ConfigException(POD_NAME, "is required with leader election (the leader's identity; set it from"
                        + " the downward API metadata.name)");
            }
        }

        int port = 8080;
        String p = blankToNull(env.get(HTTP_PORT));
        if (p != null) {
            try {
                port = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new ConfigException(HTTP_PORT, "'" + p + "' is not a port number");
            }
            if (port < 0 || port > 65535) throw new ConfigException(HTTP_PORT, "must be between 0 and 65535, got " + port);
        }

        Duration resync = Duration.ofMinutes(5);
        String r = blankToNull(env.get(RESYNC_INTERVAL));
        if (r != null) {
            try {
                resync = Duration.parse(r);
            } catch (DateTimeParseException e) {
                throw new ConfigException(RESYNC_INTERVAL, "'" + r + "' is not an ISO-8601 duration like PT5M");
            }
            if (resync.compareTo(Duration.ofSeconds(10)) < 0 || resync.compareTo(Duration.ofDays(1)) > 0) {
                throw new ConfigException(RESYNC_INTERVAL, "must be between PT10S and P1D, got " + r);
            }
        }
        if (podNamespace != null && !DNS_LABEL.matcher(podNamespace).matches()) {
            throw new ConfigException(POD_NAMESPACE, "'" + podNamespace + "' is not a namespace name");
        }
        return new OperatorConfig(url, user, password, Set.copyOf(namespaces), leader, leaseNamespace, lease, identity, port,
                resync, podNamespace);
    }

    private static String required(Map<String, String> env, String name) {
        String v = blankToNull(env.get(name));
        if (v == null) throw new ConfigException(name, "is required");
        return v;
    }

    private static boolean bool(Map<String, String> env, String name, boolean dflt) {
        String v = blankToNull(env.get(name));
        if (v == null) return dflt;
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(name, "must be true or false, got '" + v + "'");
        };
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }

    @Override
    public String toString() {
        return "OperatorConfig[registryUrl=" + registryUrl + ", registryUser=" + registryUser + ", registryPassword="
                + (registryPassword == null ? "none" : "***") + ", watchNamespaces=" + (watchNamespaces.isEmpty() ? "all"
                : watchNamespaces) + ", leaderElection=" + leaderElection + ", lease=" + leaseNamespace + "/" + leaseName
                + ", identity=" + identity + ", httpPort=" + httpPort + ", resyncInterval=" + resyncInterval + "]";
    }
}
