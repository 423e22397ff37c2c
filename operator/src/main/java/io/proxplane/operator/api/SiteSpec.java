package io.proxplane.operator.api;

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
    public String dnsDomain;

    /** The container network, prefix length 8-30, e.g. {@code 10.20.0.0/24}. */
    @Required
    @Pattern(CIDR)
    public String networkCidr;

    @Required
    @Pattern(IPV4)
    public String gateway;

    @Pattern(IPV4)
    public String dhcpStart;

    @Pattern(IPV4)
    public String dhcpEnd;

    @Size(max = 8)
    public List<@Pattern(IPV4) String> dnsForwarders;

    /** Default bridge for container NICs ({@code vmbr0} when empty). */
    @Pattern(BRIDGE)
    public String bridge;

    @Required
    @Size(min = 1, max = 16)
    public List<ProxmoxEndpoint> proxmoxEndpoints;

    public PlacementPolicy placementPolicy;

    /**
     * Where clients reach the site's edge (DNS name or IPv4 address): TCP/UDP services listen
     * there, so their status.url names it. Unset: no URL is reported for them.
     */
    @Size(max = 253)
    @Pattern("^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$")
    public String edgeAddress;

    /** Per-node settings keyed by node name. */
    @Size(max = 256)
    public Map<String, NodeOverride> nodeOverrides;

    public enum PlacementPolicy { LeastLoaded, FirstFit }

    /** One Proxmox cluster or standalone host. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ProxmoxEndpoint {
        /** {@code https://pve.example.com:8006}; {@code /api2/json} is appended. */
        @Required
        @Size(max = 2048)
        @Pattern("^https://[^\\s/$;\"'{}]+(/[^\\s$;\"'{}?#]*)?$")
        public String url;

        /** {@code user@realm!tokenname}; may instead be the Secret's {@code tokenId} key. */
        @Size(max = 256)
        @Pattern("^[^\\s!@]+@[A-Za-z][A-Za-z0-9.\\-_]+![A-Za-z][A-Za-z0-9.\\-_]+$")
        public String tokenId;

        /**
         * The Secret with the API token: key {@code secret} (required), optional {@code tokenId},
         * and how to trust the endpoint: {@code caCert} (PEM), {@code fingerprint} (SHA-256 pin)
         * or {@code insecure: "true"}; none of them means the JDK's trust store.
         */
        @Required
        public SecretKeyRef credentialsSecretRef;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class NodeOverride {
        @Size(max = 64)
        @Pattern("^[A-Za-z][A-Za-z0-9_.-]*$")
        public String storage;

        @Size(max = 64)
        @Pattern("^[A-Za-z][A-Za-z0-9_.-]*$")
        public String templateStorage;

        @Pattern(BRIDGE)
        public String bridge;

        public Boolean gpu;
    }
}
