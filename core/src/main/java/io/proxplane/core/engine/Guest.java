package io.proxplane.core.engine;

import io.proxplane.core.proxmox.model.ClusterResource;
import io.proxplane.core.proxmox.model.LxcStatus;

import java.util.List;

/** A guest as Proxmox reports it, from the bulk read or a single status call. */
record Guest(int vmid, String node, String status, List<String> tags, String lock, Long maxmem, Double maxcpu,
             Long maxdisk) {
    static final String TAG = "proxplane";

    static String idTag(long containerId) {
        return "pp-" + containerId;
    }

    static Guest of(ClusterResource r) {
        return new Guest(r.vmid(), r.node(), r.status(), r.tags(), r.lock(), r.maxmem(), r.maxcpu(), r.maxdisk());
    }

    static Guest of(String node, LxcStatus s) {
        return new Guest(s.vmid(), node, s.status(), s.tags(), s.lock(), s.maxmem(), s.cpus(), s.maxdisk());
    }

    boolean ours(long containerId) {
        return tags.contains(idTag(containerId));
    }

    boolean creating() {
        return "create".equals(lock);
    }

    /** The registry id in a {@code pp-<id>} tag, or -1 for guests proxplane did not make. */
    long proxplaneId() {
        if (!tags.contains(TAG)) {
            return -1;
        }
        for (String t : tags) {
            if (t.matches("pp-\\d{1,18}")) {
                return Long.parseLong(t.substring(3));
            }
        }
        return -1;
    }
}
