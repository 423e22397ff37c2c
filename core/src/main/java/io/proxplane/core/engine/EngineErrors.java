package io.proxplane.core.engine;

import io.proxplane.core.engine.EngineException.Kind;
import io.proxplane.core.model.ValidationException;
import io.proxplane.core.proxmox.error.ProxmoxException;
import io.proxplane.core.registry.ConstraintViolationException;
import io.proxplane.core.registry.NotFoundException;
import io.proxplane.core.registry.ClaimConflictException;
import io.proxplane.core.registry.OwnershipConflictException;
import io.proxplane.core.registry.PoolQuotaExceededException;
import io.proxplane.core.registry.RegistryException;
import io.proxplane.core.registry.alloc.AllocationException;
import io.proxplane.core.registry.alloc.PortHeldException;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The engine's one error contract: {@link #translate} turns anything core can fail with (spec
 * validation, registry refusals and outages, Proxmox client failures, bugs) into an
 * {@link EngineException} whose message a person can read — no SQL, driver or stack text — and
 * {@link #guard} applies it around a converger's public method. Pure.
 */
public final class EngineErrors {
    private EngineErrors() {
    }

    /** A refused unique key: what to tell the user, from the key the database reported. */
    record Unique(Function<Map<String, String>, String> message, String userAction) {}

    /** Every UNIQUE constraint of the registry schema (db/migration), in words. */
    static final Map<String, Unique> UNIQUE = Map.ofEntries(
            Map.entry("sites_name_unique", new Unique(k -> "a site named " + q(k, "name") + " already exists",
                    "choose another site name")),
            Map.entry("external_domains_name_unique", new Unique(k -> "external domain " + q(k, "name") + " already exists",
                    "choose another domain")),
            Map.entry("pools_name_unique", new Unique(k -> "a pool named " + q(k, "name") + " already exists",
                    "choose another pool name")),
            Map.entry("containers_site_name_unique", new Unique(k -> "a container named " + q(k, "name")
                    + " already exists in this site", "choose another container name")),
            Map.entry("containers_site_hostname_unique", new Unique(k -> "host name " + q(k, "hostname")
                    + " is already used by another container of this site",
                    "choose another hostname: host names are unique per site (they are DNS names in the site's domain)")),
            Map.entry("containers_site_vmid_unique", new Unique(k -> "vmid " + q(k, "vmid")
                    + " was reserved by another container at the same time", "apply again; the engine takes the next free vmid")),
            Map.entry("containers_site_ipv4_unique", new Unique(k -> "IPv4 address " + q(k, "ipv4")
                    + " was reserved by another container at the same time", "apply again; the engine takes the next free address")),
            Map.entry("containers_mac_unique", new Unique(k -> "MAC address " + q(k, "mac")
                    + " was reserved by another container at the same time", "apply again; the engine draws another one")),
            Map.entry("containers_id_site_unique", new Unique(k -> "the container is already registered in this site",
                    "apply again")),
            Map.entry("services_container_name_unique", new Unique(k -> "the container already has a service named "
                    + q(k, "name"), "choose another service name")),
            Map.entry("services_site_protocol_port_unique", new Unique(k -> "external " + v(k, "protocol", "") + " port "
                    + v(k, "external_port", "") + " is already held by another service of this site",
                    "request another external port or leave it empty to get a free one")),
            Map.entry("services_domain_hostname_unique", new Unique(k -> "HTTP host name " + q(k, "http_hostname")
                    + " is already used by another service in that external domain",
                    "choose another http hostname: it is taken in that domain")),
            Map.entry("groups_name_unique", new Unique(k -> "a group named " + q(k, "name") + " already exists",
                    "choose another group name")),
            Map.entry("groups_gid_unique", new Unique(k -> "gid " + q(k, "gid") + " is already used by another group",
                    "choose another gid or leave it empty")),
            Map.entry("users_username_unique", new Unique(k -> "a user named " + q(k, "username") + " already exists",
                    "choose another username")),
            Map.entry("users_uid_unique", new Unique(k -> "uid " + q(k, "uid") + " is already used by another user",
                    "apply again; the engine takes the next free uid")),
            Map.entry("users_private_gid_unique", new Unique(k -> "gid " + q(k, "private_gid")
                    + " is already the private group of another user", "apply again; the engine takes the next free gid")),
            Map.entry("gids_unique", new Unique(k -> "the gid is already used by a group or by a user's private group",
                    "choose another gid or leave it empty")),
            Map.entry("group_user_names_unique", new Unique(k -> "users and groups share one name space (every user has a"
                    + " private group named after it): the name is taken", "choose another name")),
            Map.entry("service_accounts_name_unique", new Unique(k -> "a service account named " + q(k, "name")
                    + " already exists", "choose another service account name")),
            Map.entry("memberships_user_group_unique", new Unique(k -> "the user is already a member of that group",
                    "declare the membership on one side only (the user's extraGroups or the group's members)")),
            Map.entry("edge_agent_status_agent_unique", new Unique(k -> "edge agent " + q(k, "agent_id")
                    + " is already registered", "give each edge agent its own id")));

    /** Runs a converger's public method so that only {@link EngineException}s leave it. */
    static <T> T guard(Supplier<T> body) {
        try {
            return body.get();
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    /** The engine error for {@code e}; an {@link EngineException} is returned as it is. */
    public static EngineException translate(RuntimeException e) {
        return switch (e) {
            case EngineException ee -> ee;
            case ValidationException v -> EngineException.invalidSpec(v.field(), v.reason(), v);
            case ProxmoxException p -> ProxmoxErrors.map("Proxmox request", p);
            case OwnershipConflictException o -> EngineException.ownership(o.getMessage(), o.currentManager(),
                    "change it through " + o.currentManager() + ", or delete it there before managing it from "
                            + o.requestingManager(), o);
            case ClaimConflictException cc -> claim(cc);
            case NotFoundException n -> new EngineException(Kind.NOT_FOUND, n.getMessage(),
                    "create it first or correct the name", n);
            case PortHeldException p -> EngineException.conflict(p.getMessage(),
                    "service '" + p.holderService() + "' of container '" + p.holderContainer() + "'",
                    "request another external port or leave it empty to get a free one", p);
            case AllocationException a -> EngineException.conflict(a.getMessage(), null,
                    "choose another value, leave it empty, or free one", a);
            case PoolQuotaExceededException q -> new QuotaExceededException(q.pool(), q.quota(), q.limit(), q.inUse(),
                    q.requested());
            case ConstraintViolationException c -> constraint(c);
            case RegistryException r -> registry(r);
            default -> registryUnreachable(e) ? unavailable(e) : internal(e);
        };
    }

    /**
     * Another resource of the same manager holds the object (or, for a create, it exists unclaimed):
     * CONFLICT naming the holder; nothing was changed. The way out is an import, or another name.
     */
    private static EngineException claim(ClaimConflictException c) {
        String holder = c.currentHolder() != null ? c.currentHolder() : c.manager();
        String belongs = c.currentHolder() != null
                ? "belongs to another resource (" + c.manager() + ", resource claim " + c.currentHolder() + ")"
                : "is not held by any resource yet (" + c.manager() + ", made before resource claims or left by a deleted resource)";
        return EngineException.conflict(c.objectKind() + " '" + c.objectKey() + "' already exists and " + belongs,
                holder, "import it to manage it from here, or choose another name", c);
    }

    private static EngineException constraint(ConstraintViolationException c) {
        return switch (c.rule()) {
            case UNIQUE -> {
                Unique u = UNIQUE.get(c.constraint());
                yield u != null ? EngineException.conflict(u.message().apply(c.key()), null, u.userAction(), c)
                        : EngineException.conflict("a value is already taken" + keyText(c.key()), null,
                        "choose another value", c);
            }
            case CHECK -> EngineException.invalidSpec(checkedField(c.constraint()), "is not a value the registry accepts", c);
            case STILL_REFERENCED -> new EngineException(Kind.IN_USE, "the " + singular(c.table()) + keyText(c.key())
                    + " is still used by other objects", "delete or move what uses it first", c);
            case REFERENCE_MISSING -> new EngineException(Kind.NOT_FOUND, "an object it refers to no longer exists"
                    + keyText(c.key()), "create the referenced object (site, pool, container, domain) and apply again", c);
            case NOT_NULL, OTHER -> internal(c);
        };
    }

    private static EngineException registry(RegistryException r) {
        if (r.getCause() == null || registryUnreachable(r)) {
            // no cause: the registry's own bounded retries on contention ran out, or it was interrupted
            return unavailable(r);
        }
        return internal(r); // malformed stored JSON, an unexpected SQL error: a bug, not the user's doing
    }

    private static EngineException unavailable(RuntimeException e) {
        String driver = connectionText(e);
        return new EngineException(Kind.REGISTRY_UNAVAILABLE, "the registry (PostgreSQL) is unreachable or too busy"
                + (driver == null ? "" : ": " + driver),
                "the request is retried; if this persists check the registry database and the registry URL", e);
    }

    private static EngineException internal(RuntimeException e) {
        // a registry message may hold the SQL text: name the rule instead
        String what = e instanceof ConstraintViolationException c ? "the registry refused a write (rule "
                + c.constraint() + ")"
                : e instanceof RegistryException ? "the registry failed"
                : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + shown(e.getMessage()));
        return new EngineException(Kind.INTERNAL, "internal error in the engine (" + what + ")",
                "report it to the proxplane maintainers with the log of this moment", e);
    }

    /** Connection failures, resource exhaustion, shutdown, and exhausted serialization retries. */
    static boolean registryUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException || t instanceof java.net.ConnectException) {
                return true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String st = s.getSQLState();
                if (st.startsWith("08") || st.startsWith("53") || st.startsWith("57P") || st.equals("40001")
                        || st.equals("40P01")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The driver's own words for a connection failure ("Connection to host:5432 refused."), never SQL. */
    private static String connectionText(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08")
                    && s.getMessage() != null) {
                return oneLine(s.getMessage());
            }
        }
        return null;
    }

    private static String checkedField(String constraint) {
        if (constraint == null) return null;
        String c = constraint;
        for (String table : new String[] {"external_domains_", "edge_agent_status_", "sites_", "pools_", "containers_",
                "services_", "groups_", "users_", "memberships_", "audit_log_", "engine_container_specs_"}) {
            if (c.startsWith(table)) {
                c = c.substring(table.length());
                break;
            }
        }
        if (c.equals("kind_fields")) return "http";
        if (c.startsWith("http_")) return "http." + camel(c.substring(5).replaceAll("_(format|range|enum)$", ""));
        return camel(c.replaceAll("_(format|range|enum|valid|unicast|host|array|object|ipv4|in_network|singleton)$", ""));
    }

    private static String camel(String snake) {
        StringBuilder b = new StringBuilder(snake.length());
        boolean up = false;
        for (char ch : snake.toCharArray()) {
            if (ch == '_') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(ch) : ch);
                up = false;
            }
        }
        return b.toString();
    }

    private static String singular(String table) {
        if (table == null) return "object";
        String t = table.replace('_', ' ');
        return t.endsWith("s") ? t.substring(0, t.length() - 1) : t;
    }

    private static String q(Map<String, String> key, String column) {
        String value = key.get(column);
        return value == null ? "(this value)" : "'" + shown(value) + "'";
    }

    private static String v(Map<String, String> key, String column, String otherwise) {
        String value = key.get(column);
        return value == null ? otherwise : shown(value);
    }

    private static String keyText(Map<String, String> key) {
        if (key.isEmpty()) return "";
        StringBuilder b = new StringBuilder(" (");
        key.forEach((k, val) -> b.append(b.length() > 2 ? ", " : "").append(k.replace('_', ' ')).append(' ').append(shown(val)));
        return b.append(')').toString();
    }

    /** A value from the database, safe inside a one-line message. */
    private static String shown(String value) {
        String one = oneLine(value);
        return one.length() > 64 ? one.substring(0, 64) + "..." : one;
    }

    private static String oneLine(String s) {
        int nl = s.indexOf('\n');
        String first = nl < 0 ? s : s.substring(0, nl);
        return first.replaceAll("\\p{Cntrl}", "?").strip();
    }
}
