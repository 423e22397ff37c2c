package io.proxplane.core.registry;

/**
 * A service exposed by a container. For tcp/udp services {@code externalPort} is the requested
 * port (null: the allocator picks the lowest free one); as read back it is the allocated port.
 */
public record ServiceSpec(long containerId, String name, ServiceKind kind, String httpHostname, Long externalDomainId,
                          String backendProtocol, boolean authRequired, int internalPort, String protocol,
                          Integer externalPort, String srvName) {

    public ServiceSpec {
        if (kind == null) {
            throw new IllegalArgumentException("kind: required");
        }
        if (protocol == null) {
            protocol = switch (kind) {
                case HTTP, DNS_SRV -> "tcp";
                case TCP -> "tcp";
                case UDP -> "udp";
            };
        }
    }

    public static ServiceSpec http(long containerId, String name, String hostname, long externalDomainId,
                                   String backendProtocol, boolean authRequired, int internalPort) {
        return new ServiceSpec(containerId, name, ServiceKind.HTTP, hostname, externalDomainId,
                backendProtocol == null ? "http" : backendProtocol, authRequired, internalPort, "tcp", null, null);
    }

    public static ServiceSpec tcp(long containerId, String name, int internalPort, Integer requestedExternalPort) {
        return new ServiceSpec(containerId, name, ServiceKind.TCP, null, null, null, false, internalPort, "tcp",
                requestedExternalPort, null);
    }

    public static ServiceSpec udp(long containerId, String name, int internalPort, Integer requestedExternalPort) {
        return new ServiceSpec(containerId, name, ServiceKind.UDP, null, null, null, false, internalPort, "udp",
                requestedExternalPort, null);
    }

    public static ServiceSpec dnsSrv(long containerId, String name, String srvName, String protocol, int internalPort) {
        return new ServiceSpec(containerId, name, ServiceKind.DNS_SRV, null, null, null, false, internalPort, protocol,
                null, srvName);
    }
}
