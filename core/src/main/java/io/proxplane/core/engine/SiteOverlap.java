package io.proxplane.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxplane.core.model.Ipv4Cidr;
import io.proxplane.core.registry.ProxmoxEndpoint;
import io.proxplane.core.registry.SiteSpec;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether two sites would put overlapping networks on one layer-2 segment (pure). Two sites share a
 * segment when they share a Proxmox cluster (an endpoint with the same
 * {@link ProxmoxEndpoint#clusterKey() cluster key}) and some node of it uses the same bridge for
 * both; then their containers could get the same addresses, and their edge agents would both
 * answer DHCP and DNS there. Different clusters or bridges may reuse a network.
 */
final class SiteOverlap {
    private SiteOverlap() {}

    /** The conflict between {@code a} and {@code b}, described for an error message; empty when none. */
    static Optional<String> between(SiteSpec a, SiteSpec b) {
        Ipv4Cidr na = Ipv4Cidr.of("networkCidr", a.networkCidr());
        Ipv4Cidr nb = Ipv4Cidr.of("networkCidr", b.networkCidr());
        if (!na.contains(nb.network()) && !nb.contains(na.network())) {
            return Optional.empty();
        }
        Set<String> shared = new LinkedHashSet<>();
        a.proxmoxEndpoints().forEach(e -> shared.add(e.clusterKey()));
        shared.retainAll(b.proxmoxEndpoints().stream().map(ProxmoxEndpoint::clusterKey).toList());
        if (shared.isEmpty()) {
            return Optional.empty();
        }
        return sharedBridge(a, b).map(bridge -> "site '" + a.name() + "' network " + na + " overlaps site '" + b.name()
                + "' network " + nb + " on the same Proxmox cluster (" + String.join(", ", shared) + ") and bridge " + bridge);
    }

    /**
     * A bridge some node uses for both sites. Nodes without an override use the site's bridge; the
     * nodes named in either site's overrides are compared one by one. Equal default bridges count
     * as shared even if every node happened to be overridden (the node list is not known here).
     */
    static Optional<String> sharedBridge(SiteSpec a, SiteSpec b) {
        if (a.bridge().equals(b.bridge())) {
            return Optional.of(a.bridge());
        }
        Set<String> nodes = new TreeSet<>();
        a.nodeOverrides().fieldNames().forEachRemaining(nodes::add);
        b.nodeOverrides().fieldNames().forEachRemaining(nodes::add);
        for (String node : nodes) {
            String ba = bridgeOf(a, node);
            if (ba.equals(bridgeOf(b, node))) {
                return Optional.of(ba + " (node " + node + ")");
            }
        }
        return Optional.empty();
    }

    private static String bridgeOf(SiteSpec s, String node) {
        JsonNode b = s.nodeOverrides().path(node).path("bridge");
        return b.isTextual() ? b.asText() : s.bridge();
    }
}
