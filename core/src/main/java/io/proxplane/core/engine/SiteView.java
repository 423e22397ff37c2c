package io.proxplane.core.engine;

import io.proxplane.core.proxmox.ProxmoxClient;
import io.proxplane.core.proxmox.model.ClusterResource;
import io.proxplane.core.registry.ProxmoxEndpoint;
import io.proxplane.core.registry.Site;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What the site's Proxmox clusters reported in one bulk read each. */
record SiteView(Site site, List<ClusterView> clusters) {

    record ClusterView(ProxmoxEndpoint endpoint, ProxmoxClient client, List<ClusterResource> resources) {
        List<ClusterResource> nodes() {
            return resources.stream().filter(r -> "node".equals(r.type())).toList();
        }

        List<ClusterResource> guests() {
            return resources.stream().filter(r -> ("lxc".equals(r.type()) || "qemu".equals(r.type())) && r.vmid() != null)
                    .toList();
        }
    }

    /** The vmids in use on every cluster of the site (never handed out by the allocator). */
    Set<Integer> vmidsInUse() {
        Set<Integer> ids = new HashSet<>();
        clusters.forEach(c -> c.guests().forEach(g -> ids.add(g.vmid())));
        return ids;
    }

    Optional<Guest> guest(int vmid) {
        return clusters.stream().flatMap(c -> c.guests().stream()).filter(g -> g.vmid() == vmid).findFirst().map(Guest::of);
    }

    /** The Proxmox pool the guest is a member of, as this view saw it (empty: none, or no such guest). */
    Optional<String> poolOf(int vmid) {
        return clusters.stream().flatMap(c -> c.guests().stream()).filter(g -> g.vmid() == vmid).findFirst()
                .map(ClusterResource::pool).filter(p -> !p.isEmpty());
    }

    Optional<ClusterView> clusterOfNode(String node) {
        return clusters.stream().filter(c -> c.nodes().stream().anyMatch(n -> node.equals(n.node()))).findFirst();
    }

    /** Guests of every cluster (for orphan and drift scans). */
    List<ClusterResource> guests() {
        return clusters.stream().flatMap(c -> c.guests().stream()).toList();
    }
}
