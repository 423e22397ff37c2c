package io.proxplane.core.engine;

import io.proxplane.core.proxmox.ProxmoxClient;
import io.proxplane.core.proxmox.error.AlreadyExistsException;
import io.proxplane.core.proxmox.error.NotFoundException;
import io.proxplane.core.proxmox.model.UserRequest;
import io.proxplane.core.registry.Claim;
import io.proxplane.core.registry.EngineSession;
import io.proxplane.core.registry.OwnershipConflictException;
import io.proxplane.core.registry.Pool;
import io.proxplane.core.registry.Registry;
import io.proxplane.core.registry.RowMeta;
import io.proxplane.core.registry.Site;

import io.proxplane.core.registry.AclGrant;
import io.proxplane.core.registry.Container;
import io.proxplane.core.registry.ProxmoxEndpoint;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** What every converger shares: the registry, the clusters, settings, and small idempotent ensures. */
final class EngineContext {
    /**
     * The comment proxplane wrote on the Proxmox pools, users and groups it created before the
     * comment named the registry. Still taken as "made by proxplane" (there was only one kind).
     */
    static final String LEGACY_MARKER = "managed by proxplane";
    private static final String MARKER_PREFIX = "managed by proxplane registry ";
    final Registry registry;
    final Clusters clusters;
    final EngineStore store;
    final EngineSettings settings;
    final ProxmoxErrors errors;
    final ProxmoxObjects objects;
    /** This engine's proof of life, written beside every intent (V8). */
    final EngineSession session;
    /** Set once by the engine after the convergers exist (it needs them). */
    IntentRecovery recovery;
    // Proxmox objects known to exist, per endpoint: saves a GET per create after the first.
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    EngineContext(Registry registry, Clusters clusters, EngineStore store, EngineSettings settings, EngineSession session) {
        this.registry = registry;
        this.session = session;
        this.clusters = clusters;
        this.store = store;
        this.settings = settings;
        this.errors = new ProxmoxErrors(settings);
        this.objects = new ProxmoxObjects(store);
    }

    Site site(String name) {
        return registry.sites().findByName(name).orElseThrow(() -> new EngineException(EngineException.Kind.NOT_FOUND,
                "site '" + name + "' does not exist", "create the Site first or correct the site name"));
    }

    Pool pool(String name) {
        return registry.pools().findByName(name).orElseThrow(() -> new EngineException(EngineException.Kind.NOT_FOUND,
                "pool '" + name + "' does not exist", "create the Pool first or correct the pool name"));
    }

    /** Refuses to touch a row another front door (or object) manages. */
    static void requireManager(String kind, String key, RowMeta meta, String manager) {
        if (!meta.managedBy().equals(manager)) {
            throw ownership(new OwnershipConflictException(kind, key, meta.managedBy(), manager));
        }
    }

    /**
     * The read-only pre-check of {@code claim} on an existing row (another manager → OWNERSHIP,
     * another resource → CONFLICT naming its holder), run before any Proxmox call. The registry
     * repeats it atomically with its write, which decides when two applies race.
     */
    static void requireClaim(String kind, String key, RowMeta meta, Claim claim) {
        claim.refusal(kind, key, meta.managedBy(), meta.claimedBy()).ifPresent(e -> {
            throw EngineErrors.translate(e);
        });
    }

    /** The same for a delete: the holder, or anyone of the manager on an unclaimed row. */
    static void requireDeleteClaim(String kind, String key, RowMeta meta, Claim claim) {
        claim.deleteRefusal(kind, key, meta.managedBy(), meta.claimedBy()).ifPresent(e -> {
            throw EngineErrors.translate(e);
        });
    }

    static EngineException ownership(OwnershipConflictException e) {
        return EngineErrors.translate(e);
    }

    /**
     * Runs a registry write so that its refusals (ownership, a taken host name or port, an outage)
     * leave as engine errors in words, never as SQL.
     */
    static <T> T owned(Supplier<T> write) {
        return EngineErrors.guard(write);
    }

    /**
     * The comment on every Proxmox pool, user and group this registry creates (never on one it
     * found). It names the registry because Proxmox pools, users and groups are per cluster: a second
     * registry sharing the cluster must tell its own objects from this one's, or it would delete them.
     */
    String marker() {
        return MARKER_PREFIX + registry.identity();
    }

    /** True when {@code comment} says this registry made the object (or proxplane before markers named registries). */
    boolean madeHere(String comment) {
        return marker().equals(comment) || LEGACY_MARKER.equals(comment);
    }

    /** The other registry named by {@code comment}, if the object was made by another proxplane registry. */
    static Optional<String> otherRegistry(String comment, String mine) {
        if (comment == null || !comment.startsWith(MARKER_PREFIX)) return Optional.empty();
        String id = comment.substring(MARKER_PREFIX.length()).trim();
        return id.equals(mine) ? Optional.empty() : Optional.of(id);
    }

    String proxmoxUser(String username) {
        return username + "@" + settings.proxmoxRealm();
    }

    /**
     * Makes sure the Proxmox pool exists on the endpoint and records the mirror (V6) so its delete
     * finds it without the site row. Returns true when this call created it.
     */
    boolean ensureProxmoxPool(String url, ProxmoxClient client, String pool) {
        return ensure(url, "pool:" + pool, () -> {
                    String comment = client.pools().get(pool).comment();
                    // A pool's members and grants are kept exactly as declared: two registries
                    // managing one Proxmox pool would undo each other (and one's delete empties the other's).
                    otherRegistry(comment, registry.identity()).ifPresent(other -> {
                        throw EngineException.conflict("Proxmox pool '" + pool + "' on " + url
                                + " is managed by another proxplane registry (" + other + ")", "registry " + other,
                                "give the pool another name; pool names are shared by every registry on a Proxmox cluster",
                                null);
                    });
                    return comment;
                }, () -> client.pools().create(pool, marker()),
                (created, made) -> objects.recordPoolMirror(clusters.endpoint(url), pool, created, made));
    }

    /** Makes sure the Proxmox user of {@code username} exists; recorded so it is removed once unused. */
    boolean ensureProxmoxUser(String url, ProxmoxClient client, String username) {
        String id = proxmoxUser(username);
        return ensure(url, "user:" + id, () -> client.users().get(id).comment(),
                () -> client.users().create(UserRequest.builder(id).comment(marker()).build()),
                (created, made) -> objects.recordPrincipal(clusters.endpoint(url), ProxmoxObjects.USER, id, created, made));
    }

    /** Makes sure the Proxmox group exists; recorded so it is removed once unused. */
    boolean ensureProxmoxGroup(String url, ProxmoxClient client, String group) {
        return ensure(url, "group:" + group, () -> client.groups().get(group).comment(),
                () -> client.groups().create(group, marker()),
                (created, made) -> objects.recordPrincipal(clusters.endpoint(url), ProxmoxObjects.GROUP, group, created, made));
    }

    void forget(String url, String what) {
        known.remove(url + "|" + what);
    }

    private interface Recorder {
        /** {@code created}: proxplane made (or is about to make) it; {@code made}: this call is about to. */
        void record(boolean created, boolean made);
    }

    private record Seen(boolean exists, String comment) {}

    private boolean ensure(String url, String what, Supplier<String> comment, Runnable create, Recorder record) {
        String key = url + "|" + what;
        if (known.contains(key)) {
            return false;
        }
        Seen seen = errors.retrying("read " + what, () -> {
            try {
                return new Seen(true, comment.get());
            } catch (NotFoundException e) {
                return new Seen(false, null);
            }
        });
        boolean created = false;
        if (seen.exists()) {
            // Already there: this registry's only if it carries its marker (made before the engine kept
            // records); one made by hand, another tool or another registry is used but never removed.
            record.record(madeHere(seen.comment()), false);
        } else {
            // Recorded before the POST: a crash right after it cannot leave an object nobody knows of.
            record.record(true, true);
            created = errors.retrying("create " + what, () -> {
                try {
                    create.run();
                    return true;
                } catch (AlreadyExistsException raced) {
                    return false; // another engine made it between our GET and POST (and recorded it)
                }
            });
        }
        known.add(key);
        return created;
    }

    // ------------------------------------------------------------------ unused users and groups

    /**
     * Removes the Proxmox users ({@code kind} user, names as usernames of the registry) or groups
     * proxplane created whose last use is gone: a user is used by a container of a site on that
     * endpoint that it owns, or by a pool grant; a group by a pool grant. Proxmox removes the
     * principal's ACL entries with it. A removal that fails is reported as a {@code keep-*} action
     * and tried again by the next removal of that name; nothing proxplane did not create is touched.
     */
    void removeUnused(String kind, Collection<String> names, Actions actions) {
        Set<String> ids = new TreeSet<>();
        for (String n : names) {
            if (n != null) ids.add(kind.equals(ProxmoxObjects.USER) ? proxmoxUser(n) : n);
        }
        List<ProxmoxObjects.Principal> candidates = objects.createdPrincipals(kind, ids);
        if (candidates.isEmpty()) {
            return; // the common case: nothing made for these names, no registry read needed
        }
        Uses uses = uses();
        for (ProxmoxObjects.Principal p : candidates) {
            String url = p.endpoint().url();
            if (uses.uses(p)) continue;
            ProxmoxClient client = clusters.client(p.endpoint());
            try {
                errors.retrying("delete " + kind + " " + p.name(), () -> {
                    try {
                        if (kind.equals(ProxmoxObjects.USER)) client.users().delete(p.name());
                        else client.groups().delete(p.name());
                    } catch (NotFoundException gone) {
                        // removed by hand already
                    }
                    return null;
                });
            } catch (EngineException e) {
                actions.add("keep-" + kind, p.name(), "removal failed on " + url + ": " + e.getMessage());
                continue;
            }
            objects.forgetPrincipal(url, kind, p.name());
            forget(url, kind + ":" + p.name());
            actions.add("delete-" + kind, p.name(), url);
        }
    }

    /** What the registry still uses, read once per removal. */
    private record Uses(Map<String, Set<String>> ownersByEndpoint, Set<String> grantUsers, Set<String> grantGroups) {
        boolean uses(ProxmoxObjects.Principal p) {
            if (p.kind().equals(ProxmoxObjects.GROUP)) return grantGroups.contains(p.name());
            return grantUsers.contains(p.name())
                    || ownersByEndpoint.getOrDefault(p.endpoint().url(), Set.of()).contains(p.name());
        }
    }

    private Uses uses() {
        Map<Long, Site> sites = new HashMap<>();
        registry.sites().list().forEach(s -> sites.put(s.id(), s));
        Map<String, Set<String>> owners = new HashMap<>();
        for (Container c : registry.containers().list()) {
            Site s = sites.get(c.spec().siteId());
            if (c.spec().owner() == null || s == null) continue;
            for (ProxmoxEndpoint e : s.spec().proxmoxEndpoints()) {
                owners.computeIfAbsent(e.url(), u -> new HashSet<>()).add(proxmoxUser(c.spec().owner()));
            }
        }
        Set<String> users = new HashSet<>(), groups = new HashSet<>();
        for (Pool p : registry.pools().list()) {
            for (AclGrant g : p.spec().aclGrants()) {
                if (g.user() != null) users.add(proxmoxUser(g.user()));
                if (g.group() != null) groups.add(g.group());
            }
        }
        return new Uses(owners, users, groups);
    }
}
