package io.proxplane.core.engine.spec;

import io.proxplane.core.model.DomainName;
import io.proxplane.core.model.Ipv4Address;
import io.proxplane.core.model.Ipv4Cidr;
import io.proxplane.core.model.ValidationException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A site: one internal network (CIDR, gateway, DHCP range, DNS domain) served by one or more
 * Proxmox endpoints. {@code nodeOverrides} is keyed by node name; {@code edgeAddress} is where
 * clients reach the site's edge (TCP/UDP services listen there), a DNS name or IPv4 address.
 */
public record SiteSpec(String name, String dnsDomain, String networkCidr, String gateway, String dhcpStart,
                       String dhcpEnd, List<String> dnsForwarders, String bridge, List<ProxmoxEndpointSpec> proxmoxEndpoints,
                       PlacementPolicy placementPolicy, Map<String, NodeOverride> nodeOverrides, String edgeAddress) {

    public SiteSpec(String name, String dnsDomain, String networkCidr, String gateway, String dhcpStart, String dhcpEnd,
            List<String> dnsForwarders, String bridge, List<ProxmoxEndpointSpec> proxmoxEndpoints, PlacementPolicy placementPolicy,
            Map<String, NodeOverride> nodeOverrides) {
        this(name, dnsDomain, networkCidr, gateway, dhcpStart, dhcpEnd, dnsForwarders, bridge, proxmoxEndpoints, placementPolicy,
                nodeOverrides, null);
    }

    private static final Pattern BRIDGE = Pattern.compile("[A-Za-z0-9_.-]{1,15}");
    /** Proxmox's pve-storage-id: it goes into property strings ({@code rootfs: <storage>:<size>}), so no ',', '=' or ':'. */
    private static final Pattern STORAGE = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,62}[A-Za-z0-9]");

    public enum PlacementPolicy { LEAST_LOADED, FIRST_FIT }

    /** Per-node settings: the storage for root disks and images, the bridge, and whether it has a GPU. */
    public record NodeOverride(String storage, String templateStorage, String bridge, boolean gpu) {
        public NodeOverride {
            if (storage != null && !STORAGE.matcher(storage).matches()) {
                throw new ValidationException("storage", "must be a Proxmox storage id like local-lvm, got "
                        + ValidationException.show(storage));
            }
            if (templateStorage != null && !STORAGE.matcher(templateStorage).matches()) {
                throw new ValidationException("templateStorage", "must be a Proxmox storage id like local, got "
                        + ValidationException.show(templateStorage));
            }
            if (bridge != null && !BRIDGE.matcher(bridge).matches()) {
                throw new ValidationException("bridge", "must be 1-15 characters [A-Za-z0-9_.-]");
            }
        }
    }

    public SiteSpec {
        name = Check.label("name", name);
        dnsDomain = DomainName.of("dnsDomain", dnsDomain).value();
        if (edgeAddress != null) {
            // clients connect there for TCP/UDP services: an IPv4 address or a DNS name
            edgeAddress = edgeAddress.matches("[0-9.]+") ? Ipv4Address.of("edgeAddress", edgeAddress).toString()
                    : DomainName.of("edgeAddress", edgeAddress).value();
        }
        Ipv4Cidr cidr = Ipv4Cidr.of("networkCidr", networkCidr);
        if (cidr.prefixLength() < 8 || cidr.prefixLength() > 30) {
            throw new ValidationException("networkCidr", "prefix length must be between 8 and 30");
        }
        networkCidr = cidr.toString();
        Ipv4Address gw = Ipv4Address.of("gateway", gateway);
        if (!cidr.contains(gw) || gw.equals(cidr.network()) || gw.equals(cidr.broadcast())) {
            throw new ValidationException("gateway", "must be a host address inside " + cidr);
        }
        gateway = gw.toString();
        if ((dhcpStart == null) != (dhcpEnd == null)) {
            throw new ValidationException(dhcpStart == null ? "dhcpStart" : "dhcpEnd", "dhcpStart and dhcpEnd go together");
        }
        if (dhcpStart != null) {
            Ipv4Address s = Ipv4Address.of("dhcpStart", dhcpStart);
            Ipv4Address e = Ipv4Address.of("dhcpEnd", dhcpEnd);
            if (!cidr.contains(s)) throw new ValidationException("dhcpStart", "must be inside " + cidr);
            if (!cidr.contains(e)) throw new ValidationException("dhcpEnd", "must be inside " + cidr);
            if (s.compareTo(e) > 0) throw new ValidationException("dhcpEnd", "must not be before dhcpStart");
            dhcpStart = s.toString();
            dhcpEnd = e.toString();
        }
        dnsForwarders = dnsForwarders == null ? List.of() : List.copyOf(dnsForwarders);
        for (int i = 0; i < dnsForwarders.size(); i++) {
            Ipv4Address.of("dnsForwarders[" + i + "]", dnsForwarders.get(i));
        }
        bridge = bridge == null ? "vmbr0" : bridge;
        if (!BRIDGE.matcher(bridge).matches()) {
            throw new ValidationException("bridge", "must be 1-15 characters [A-Za-z0-9_.-]");
        }
        proxmoxEndpoints = proxmoxEndpoints == null ? List.of() : List.copyOf(proxmoxEndpoints);
        if (proxmoxEndpoints.isEmpty()) {
            throw new ValidationException("proxmoxEndpoints", "at least one Proxmox endpoint is required");
        }
        placementPolicy = placementPolicy == null ? PlacementPolicy.LEAST_LOADED : placementPolicy;
        Map<String, NodeOverride> nodes = new LinkedHashMap<>();
        if (nodeOverrides != null) {
            nodeOverrides.forEach((node, o) -> {
                String field = "nodeOverrides." + node;
                if (node == null || !node.matches("[A-Za-z0-9]([A-Za-z0-9.-]{0,61}[A-Za-z0-9])?")) {
                    throw new ValidationException(field, "is not a node name");
                }
                nodes.put(node, Check.required(field, o));
            });
        }
        nodeOverrides = Map.copyOf(nodes);
    }

    /** Where one Proxmox cluster (or standalone host) is reached; the secret is only referenced. */
    public record ProxmoxEndpointSpec(String url, String tokenId, String credentialsRef) {
        public ProxmoxEndpointSpec {
            io.proxplane.core.model.HttpUrl u = io.proxplane.core.model.HttpUrl.of("proxmoxEndpoints.url", url);
            if (!u.https()) {
                throw new ValidationException("proxmoxEndpoints.url", "must be https");
            }
            // sent in the Authorization header: no control characters, bounded
            if (tokenId != null && (tokenId.length() > 256
                    || !tokenId.matches("[^\\s\\p{Cntrl}!@:/]+@[A-Za-z][A-Za-z0-9.\\-_]+![A-Za-z][A-Za-z0-9.\\-_]+"))) {
                throw new ValidationException("proxmoxEndpoints.tokenId", "must look like user@realm!tokenname");
            }
            Check.required("proxmoxEndpoints.credentialsRef", credentialsRef);
            Check.singleLine("proxmoxEndpoints.credentialsRef", credentialsRef, 253);
        }
    }
}
