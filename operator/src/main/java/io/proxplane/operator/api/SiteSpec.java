package io.proxplane.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.List;
import java.util.Map;

/** Mirrors the engine's {@code SiteSpec}; the site's name is {@code metadata.name}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.dhcpStart) == has(self.dhcpEnd)", message = "dhcpStart and dhcpEnd go together")
public class SiteSpec {
    static final String IPV4 = "^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$";
    static final String CIDR = "^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])/([89]|[12][0-9]|30)$";
    static final String DNS_NAME = "^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$";
    static final String NODE = "^[A-Za-z0-9]([A-Za-z0-9.-]{0,61}[A-Za-z0-9])?$";
    static final String BRIDGE = "^[A-Za-z0-9_.-]{1,15}$";

    /** The internal DNS domain containers are named under, e.g. {@code lab.internal}. */
    @Required
    @Size(max = 253)
    @Pattern(DNS_NAME)
    @JsonPropertyDescription("Internal DNS domain the site's containers are named under, e.g. lab.internal.")
    public String dnsDomain;

    /** The container network, prefix length 8-30, e.g. {@code 10.20.0.0/24}. */
    @Required
    @Pattern(CIDR)
    @JsonPropertyDescription("The containers' IPv4 network, prefix length 8 to 30, e.g. 10.20.0.0/24. Addresses are allocated from it.")
    public String networkCidr;

    @Required
    @Pattern(IPV4)
    @JsonPropertyDescription("IPv4 gateway of the container network, inside networkCidr.")
    public String gateway;

    @Pattern(IPV4)
    @JsonPropertyDescription("First address of the DHCP range the site's dnsmasq serves (with dhcpEnd; both or neither). Static container addresses stay outside it.")
    public String dhcpStart;

    @Pattern(IPV4)
    @JsonPropertyDescription("Last address of the DHCP range (with dhcpStart).")
    public String dhcpEnd;

    @Size(max = 8)
    @JsonPropertyDescription("Upstream DNS servers (IPv4, at most 8) for names outside the site's domain.")
    public List<@Pattern(IPV4) String> dnsForwarders;

    /** Default bridge for container NICs ({@code vmbr0} when empty). */
    @Pattern(BRIDGE)
    @JsonPropertyDescription("Proxmox bridge the containers' network interface joins; default vmbr0.")
    public String bridge;

    @Required
    @Size(min = 1, max = 16)
    @JsonPropertyDescription("The Proxmox VE clusters or standalone hosts serving this site (1 to 16).")
    public List<ProxmoxEndpoint> proxmoxEndpoints;

    @JsonPropertyDescription("How a container without a node is placed: LeastLoaded (default) or FirstFit.")
    public PlacementPolicy placementPolicy;

    /**
     * Where clients reach the site's edge (DNS name or IPv4 address): TCP/UDP services listen
     * there, so their status.url names it. Unset: no URL is reported for them.
     */
    @JsonPropertyDescription("Where clients reach the site's edge (DNS name or IPv4 address); TCP/UDP service URLs name it.")
    @Size(max = 253)
    @Pattern("^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$")
    public String edgeAddress;

    /** Per-node settings keyed by node name. */
    @Size(max = 256)
    @JsonPropertyDescription("Per-node settings, keyed by Proxmox node name.")
    public Map<String, NodeOverride> nodeOverrides;

    public enum PlacementPolicy { LeastLoaded, FirstFit }

    /** One Proxmox cluster or standalone host. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ProxmoxEndpoint {
        /** {@code https://pve.example.com:8006}; {@code /api2/json} is appended. */
        @Required
        @Size(max = 2048)
        @Pattern("^https://[^\\s/$;\"'{}]+(/[^\\s$;\"'{}?#]*)?$")
        @JsonPropertyDescription("The Proxmox API base URL, https only, e.g. https://pve.example.com:8006 (/api2/json is appended).")
        public String url;

        /** {@code user@realm!tokenname}; may instead be the Secret's {@code tokenId} key. */
        @Size(max = 256)
        @Pattern("^[^\\s!@]+@[A-Za-z][A-Za-z0-9.\\-_]+![A-Za-z][A-Za-z0-9.\\-_]+$")
        @JsonPropertyDescription("API token id user@realm!name; may instead be the Secret's tokenId key.")
        public String tokenId;

        /**
         * The Secret with the API token: key {@code secret} (required), optional {@code tokenId},
         * and how to trust the endpoint: {@code caCert} (PEM), {@code fingerprint} (SHA-256 pin)
         * or {@code insecure: "true"}; none of them means the JDK's trust store.
         */
        @Required
        @JsonPropertyDescription("The Secret with the API token: key secret (required), optional tokenId, and how to trust the endpoint: fingerprint (SHA-256), caCert (PEM) or insecure: \"true\"; none means the JVM's trust store.")
        public SecretKeyRef credentialsSecretRef;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class NodeOverride {
        @Size(max = 64)
        @Pattern("^[A-Za-z][A-Za-z0-9_.-]*$")
        @JsonPropertyDescription("Storage for root disks on this node (default local-lvm).")
        public String storage;

        @Size(max = 64)
        @Pattern("^[A-Za-z][A-Za-z0-9_.-]*$")
        @JsonPropertyDescription("Storage for templates and pulled OCI images on this node (default local).")
        public String templateStorage;

        @Pattern(BRIDGE)
        @JsonPropertyDescription("Bridge on this node, instead of the site's bridge.")
        public String bridge;

        @JsonPropertyDescription("The node has a GPU: containers with gpu: true are placed only on such nodes.")
        public Boolean gpu;
    }
}
