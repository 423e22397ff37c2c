package io.proxplane.core.proxmox.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /access/domains/{realm}/sync} (LDAP/AD realms).
 *
 * @param scope          {@code users}, {@code groups} or {@code both}; null = the realm's default
 * @param removeVanished subset of {@code entry}, {@code properties}, {@code acl}; empty = {@code none}
 * @param enableNew      enable newly synced users; null = server default (1)
 * @param dryRun         report only, write nothing
 */
public record RealmSyncOptions(String scope, List<String> removeVanished, Boolean enableNew, boolean dryRun) {

    private static final Set<String> SCOPES = Set.of("users", "groups", "both");
    private static final Set<String> VANISHED = Set.of("entry", "properties", "acl");

    public RealmSyncOptions {
        if (scope != null && !SCOPES.contains(scope)) {
            throw new IllegalArgumentException("scope: one of users, groups, both; got '" + scope + "'");
        }
        removeVanished = removeVanished == null ? List.of() : List.copyOf(removeVanished);
        for (String v : removeVanished) {
            if (!VANISHED.contains(v)) {
                throw new IllegalArgumentException("remove-vanished: one of entry, properties, acl; got '" + v + "'");
            }
        }
    }

    public static RealmSyncOptions both() {
        return new RealmSyncOptions("both", List.of(), null, false);
    }

    public RealmSyncOptions withRemoveVanished(List<String> v) { return new RealmSyncOptions(scope, v, enableNew, dryRun); }
    public RealmSyncOptions withDryRun(boolean v) { return new RealmSyncOptions(scope, removeVanished, enableNew, v); }
    public RealmSyncOptions withEnableNew(boolean v) { return new RealmSyncOptions(scope, removeVanished, v, dryRun); }

    public Map<String, String> toParams() {
        Map<String, String> p = new LinkedHashMap<>();
        FormValues.put(p, "scope", scope);
        p.put("remove-vanished", removeVanished.isEmpty() ? "none" : String.join(";", removeVanished));
        FormValues.put(p, "enable-new", enableNew);
        FormValues.put(p, "dry-run", dryRun ? Boolean.TRUE : null);
        return p;
    }
}
