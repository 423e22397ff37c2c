package io.proxplane.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxplane.core.engine.spec.ContainerSpec;
import io.proxplane.core.proxmox.model.ClusterResource;
import io.proxplane.core.registry.Container;
import io.proxplane.core.registry.Site;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses a node: the requested one, else among the site's online nodes (GPU nodes only when a
 * GPU is asked for) the least loaded by memory committed to proxplane containers, counting
 * registry placements that Proxmox does not show yet (creates in flight).
 */
final class Placement {
    private Placement() {}

    static String choose(Site site, ContainerSpec spec, SiteView view, List<Container> siteContainers) {
        List<String> online = view.clusters().stream().flatMap(c -> c.nodes().stream())
                .filter(n -> "online".equals(n.status())).map(ClusterResource::node).sorted().toList();
        JsonNode overrides = site.spec().nodeOverrides();
        if (spec.node() != null) {
            if (!online.contains(spec.node())) {
                throw new EngineException(EngineException.Kind.PLACEMENT, "node '" + spec.node() + "' of site '"
                        + site.name() + "' is not an online node (online: " + online + ")",
                        "choose an online node or leave node empty to let the engine place the container");
            }
            if (spec.gpu() && !gpu(overrides, spec.node())) {
                throw new EngineException(EngineException.Kind.PLACEMENT, "node '" + spec.node() + "' has no GPU",
                        "choose a node marked gpu in the site's nodeOverrides");
            }
            return spec.node();
        }
        List<String> eligible = online.stream().filter(n -> !spec.gpu() || gpu(overrides, n)).toList();
        if (eligible.isEmpty()) {
            throw new EngineException(EngineException.Kind.PLACEMENT, "site '" + site.name() + "' has no online "
                    + (spec.gpu() ? "GPU " : "") + "node (online: " + online + ")",
                    spec.gpu() ? "mark a GPU node in the site's nodeOverrides or drop the GPU request"
                            : "bring a node of the site online");
        }
        if ("first-fit".equals(site.spec().placementPolicy())) {
            return eligible.get(0);
        }
        Map<String, Long> committed = new HashMap<>();
        Map<String, Long> count = new HashMap<>();
        for (Container c : siteContainers) {
            if (c.spec().node() != null && !c.spec().name().equals(spec.name())) {
                committed.merge(c.spec().node(), c.spec().resources().memoryMb(), Long::sum);
                count.merge(c.spec().node(), 1L, Long::sum);
            }
        }
        return eligible.stream().min(Comparator.<String>comparingLong(n -> committed.getOrDefault(n, 0L))
                .thenComparingLong(n -> count.getOrDefault(n, 0L)).thenComparing(n -> n)).orElseThrow();
    }

    static boolean gpu(JsonNode overrides, String node) {
        return overrides != null && overrides.path(node).path("gpu").asBoolean(false);
    }

    static String setting(JsonNode overrides, String node, String key, String fallback) {
        JsonNode v = overrides == null ? null : overrides.path(node).get(key);
        return v == null || v.isNull() || v.asText().isEmpty() ? fallback : v.asText();
    }
}
