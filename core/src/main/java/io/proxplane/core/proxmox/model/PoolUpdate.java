package io.proxplane.core.proxmox.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code PUT /pools}: add (or, with {@code remove}, remove) guests and storages, change the comment.
 * {@code allowMove} lets a guest move over from another pool.
 */
public record PoolUpdate(String poolid, List<Integer> vms, List<String> storages, boolean remove, boolean allowMove,
                         String comment) {

    public PoolUpdate {
        if (poolid == null || poolid.isBlank()) {
            throw new IllegalArgumentException("poolid: required");
        }
        vms = vms == null ? List.of() : List.copyOf(vms);
        storages = storages == null ? List.of() : List.copyOf(storages);
        vms.forEach(FormValues::vmid);
        if (remove && allowMove) {
            throw new IllegalArgumentException("allow-move: only meaningful when adding members");
        }
    }

    public static PoolUpdate addVms(String poolid, List<Integer> vms) {
        return new PoolUpdate(poolid, vms, List.of(), false, false, null);
    }

    public static PoolUpdate removeVms(String poolid, List<Integer> vms) {
        return new PoolUpdate(poolid, vms, List.of(), true, false, null);
    }

    public static PoolUpdate comment(String poolid, String comment) {
        return new PoolUpdate(poolid, List.of(), List.of(), false, false, comment);
    }

    public PoolUpdate withStorages(List<String> s) { return new PoolUpdate(poolid, vms, s, remove, allowMove, comment); }
    public PoolUpdate withAllowMove(boolean v) { return new PoolUpdate(poolid, vms, storages, remove, v, comment); }
    public PoolUpdate withComment(String c) { return new PoolUpdate(poolid, vms, storages, remove, allowMove, c); }

    public Map<String, String> toParams() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("poolid", poolid);
        FormValues.put(p, "vms", vms.isEmpty() ? null : vms.stream().map(String::valueOf).collect(Collectors.joining(",")));
        FormValues.put(p, "storage", storages.isEmpty() ? null : String.join(",", storages));
        FormValues.put(p, "delete", remove ? Boolean.TRUE : null);
        FormValues.put(p, "allow-move", allowMove ? Boolean.TRUE : null);
        FormValues.put(p, "comment", comment);
        return p;
    }
}
