package io.proxplane.core.engine;

import io.proxplane.core.registry.Container;

import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * Who a guest on a site's cluster belongs to, from its tags alone (pure). The rule that keeps
 * shared clusters safe: only a guest carrying THIS registry's id and THIS site's id can be an
 * orphan (and be destroyed); everything else is foreign and only reported.
 */
final class GuestOwnership {
    enum Kind { OURS, ORPHAN, FOREIGN }

    record Verdict(Kind kind, String reason) {}

    private GuestOwnership() {}

    /**
     * @param rows      this site's container rows by id
     * @param siteNames names a site id of this registry (null when it no longer exists)
     */
    static Verdict judge(Guest g, String registryId, long siteId, Map<Long, Container> rows, LongFunction<String> siteNames) {
        Optional<OwnerTag> tag = g.owner();
        if (tag.isPresent()) {
            OwnerTag o = tag.get();
            if (!o.registryId().equals(registryId)) {
                return foreign("tagged by another proxplane registry (" + o.registryId() + ")");
            }
            if (o.siteId() != siteId) {
                String other = siteNames.apply(o.siteId());
                return foreign(other == null ? "tagged for site id " + o.siteId() + " of this registry, which no longer exists"
                        : "belongs to site '" + other + "' of this registry");
            }
            Container row = rows.get(o.containerId());
            if (row != null && Integer.valueOf(g.vmid()).equals(row.vmid())) {
                return new Verdict(Kind.OURS, null);
            }
            if (g.creating()) {
                return new Verdict(Kind.OURS, null); // a create in flight: its row is being written
            }
            // ours, and no row holds it: a leftover copy (row deleted, or it holds another vmid now)
            return new Verdict(Kind.ORPHAN, row == null ? "container id " + o.containerId() + " is gone"
                    : "container '" + row.name() + "' holds vmid " + row.vmid());
        }
        long legacy = g.legacyId();
        if (legacy > 0) {
            Container row = rows.get(legacy);
            if (row != null && Integer.valueOf(g.vmid()).equals(row.vmid())) {
                // a candidate: apply and resync prove it (net0 MAC) and re-tag it, or move the row to another vmid
                return new Verdict(Kind.OURS, null);
            }
            return foreign("legacy tag pp-" + legacy + " without a container of this site holding that id at this vmid");
        }
        if (g.tags().contains(Guest.TAG)) {
            return foreign("tagged proxplane without an owner tag");
        }
        return foreign("not tagged by proxplane");
    }

    private static Verdict foreign(String reason) {
        return new Verdict(Kind.FOREIGN, reason);
    }
}
