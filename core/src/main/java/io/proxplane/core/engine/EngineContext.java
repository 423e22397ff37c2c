package io.proxplane.core.engine;

import io.proxplane.core.proxmox.ProxmoxClient;
import io.proxplane.core.proxmox.error.AlreadyExistsException;
import io.proxplane.core.proxmox.error.NotFoundException;
import io.proxplane.core.proxmox.error.ProxmoxException;
import io.proxplane.core.proxmox.model.UserRequest;
import io.proxplane.core.registry.OwnershipConflictException;
import io.proxplane.core.registry.Pool;
import io.proxplane.core.registry.Registry;
import io.proxplane.core.registry.RowMeta;
import io.proxplane.core.registry.Site;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** What every converger shares: the registry, the clusters, settings, and small idempotent ensures. */
final class EngineContext {
    /** The comment on every Proxmox pool, user and group the engine creates (never on one it found). */
    static final String MARKER = "managed by proxplane";
    final Registry registry;
    final Clusters clusters;
    final EngineStore store;
    final EngineSettings settings;
    final ProxmoxErrors errors;
    // Proxmox objects known to exist, per endpoint: saves a GET per create after the first.
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    EngineContext(Registry registry, Clusters clusters, EngineStore store, EngineSettings settings) {
        this.registry = registry;
        this.clusters = clusters;
        this.store = store;
        this.settings = settings;
        this.errors = new ProxmoxErrors(settings);
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

    static EngineException ownership(OwnershipConflictException e) {
        return new EngineException(EngineException.Kind.OWNERSHIP, e.getMessage(),
                "change it through " + e.currentManager() + ", or delete it there before managing it from "
                        + e.requestingManager(), e);
    }

    /** Runs a registry write, turning ownership refusals into engine errors. */
    static <T> T owned(Supplier<T> write) {
        try {
            return write.get();
        } catch (OwnershipConflictException e) {
            throw ownership(e);
        }
    }

    String proxmoxUser(String username) {
        return username + "@" + settings.proxmoxRealm();
    }

    void ensureProxmoxPool(String url, ProxmoxClient client, String pool) {
        ensure(url, "pool:" + pool, () -> client.pools().get(pool), () -> client.pools().create(pool, MARKER));
    }

    void ensureProxmoxUser(String url, ProxmoxClient client, String username) {
        String id = proxmoxUser(username);
        ensure(url, "user:" + id, () -> client.users().get(id),
                () -> client.users().create(UserRequest.builder(id).comment(MARKER).build()));
    }

    void ensureProxmoxGroup(String url, ProxmoxClient client, String group) {
        ensure(url, "group:" + group, () -> client.groups().get(group),
                () -> client.groups().create(group, MARKER));
    }

    void forget(String url, String what) {
        known.remove(url + "|" + what);
    }

    private void ensure(String url, String what, Runnable get, Runnable create) {
        String key = url + "|" + what;
        if (known.contains(key)) {
            return;
        }
        errors.retrying("ensure " + what, () -> {
            try {
                get.run();
            } catch (NotFoundException e) {
                try {
                    create.run();
                } catch (AlreadyExistsException raced) {
                    // another engine made it between our GET and POST: fine
                }
            } catch (ProxmoxException e) {
                throw e;
            }
            return null;
        });
        known.add(key);
    }
}
