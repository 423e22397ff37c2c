package io.proxplane.core.engine;

import io.proxplane.core.proxmox.model.ClusterResource;
import io.proxplane.core.proxmox.model.LxcStatus;

import java.util.List;
import java.util.Optional;

/** A guest as Proxmox reports it, from the bulk read or a single status call. */
record Guest(int vmid, String node, String status, List<String> tags, String lock, Long maxmem, Double maxcpu,
             Long maxdisk) {
    static final String TAG = "proxplane";

    Guest {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    static Guest of(ClusterResource r) {
        return new Guest(r.vmid(), r.node(), r.status(), r.tags(), r.lock(), r.maxmem(), r.maxcpu(), r.maxdisk());
    }

    static Guest of(String node, LxcStatus s) {
        return new Guest(s.vmid(), node, s.status(), s.tags(), s.lock(), s.maxmem(), s.cpus(), s.maxdisk());
    }

    /** Carries exactly this owner's tag: made by this registry, for this site and container. */
    boolean ours(OwnerTag owner) {
        return tags.contains(owner.render());
    }

    /** The owner named by the guest's tag in the current format, if any. */
    Optional<OwnerTag> owner() {
        return tags.stream().map(OwnerTag::parse).flatMap(Optional::stream).findFirst();
    }

    /**
     * The container id of a tag written before registries had an identity ({@code proxplane} +
     * {@code pp-<id>}), or -1. Proves nothing alone: see {@link OwnerTag#parseLegacy}.
     */
    long legacyId() {
        if (!tags.contains(TAG)) {
            return -1;
        }
        return tags.stream().mapToLong(OwnerTag::parseLegacy).filter(id -> id > 0).findFirst().orElse(-1);
    }

    boolean creating() {
        return "create".equals(lock);
    }

    Guest withTags(List<String> newTags) {
        return new Guest(vmid, node, status, newTags, lock, maxmem, maxcpu, maxdisk);
    }
}
