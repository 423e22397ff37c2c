package io.proxplane.core.registry;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * The writable fields of a site. Addresses are dotted IPv4 strings; the CIDR like "10.0.0.0/24".
 * {@code edgeAddress}: where clients reach the site's edge (DNS name or IPv4), null if not set.
 */
public record SiteSpec(
        String name,
        String dnsDomain,
        String networkCidr,
        String gateway,
        String dhcpStart,
        String dhcpEnd,
        List<Ipv4Range> reservedRanges,
        List<String> dnsForwarders,
        String bridge,
        List<ProxmoxEndpoint> proxmoxEndpoints,
        String placementPolicy,
        JsonNode nodeOverrides,
        String edgeAddress) {

    public SiteSpec(String name, String dnsDomain, String networkCidr, String gateway, String dhcpStart, String dhcpEnd,
            List<Ipv4Range> reservedRanges, List<String> dnsForwarders, String bridge, List<ProxmoxEndpoint> proxmoxEndpoints,
            String placementPolicy, JsonNode nodeOverrides) {
        this(name, dnsDomain, networkCidr, gateway, dhcpStart, dhcpEnd, reservedRanges, dnsForwarders, bridge, proxmoxEndpoints,
                placementPolicy, nodeOverrides, null);
    }

    public SiteSpec {
        reservedRanges = reservedRanges == null ? List.of() : List.copyOf(reservedRanges);
        dnsForwarders = dnsForwarders == null ? List.of() : List.copyOf(dnsForwarders);
        proxmoxEndpoints = proxmoxEndpoints == null ? List.of() : List.copyOf(proxmoxEndpoints);
        bridge = bridge == null ? "vmbr0" : bridge;
        placementPolicy = placementPolicy == null ? "least-loaded" : placementPolicy;
        nodeOverrides = nodeOverrides == null ? Db.JSON.createObjectNode() : nodeOverrides;
    }
}
