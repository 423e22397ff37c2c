package io.proxplane.core.registry;

import java.util.List;

/**
 * Everything the edge needs to render one site, read in one REPEATABLE READ transaction, with the
 * registry revision that state corresponds to.
 */
public record SiteSnapshot(long revision, Site site, List<ExternalDomain> domains, List<ContainerEntry> containers,
                           List<ServiceEntry> services, List<SiteNodeRepository.SiteNode> nodes) {

    public SiteSnapshot(long revision, Site site, List<ExternalDomain> domains, List<ContainerEntry> containers,
            List<ServiceEntry> services) {
        this(revision, site, domains, containers, services, List.of());
    }

    public SiteSnapshot {
        nodes = List.copyOf(nodes);
        domains = List.copyOf(domains);
        containers = List.copyOf(containers);
        services = List.copyOf(services);
    }

    /** A container as the edge sees it; ipv4/mac/vmid/node are null until reserved or placed. */
    public record ContainerEntry(long id, String name, String hostname, String ipv4, String mac, String node,
                                 Integer vmid) {}

    /**
     * A service with what the renderer needs resolved: its container's name and address and, for
     * HTTP services, the external domain's name.
     */
    public record ServiceEntry(long id, long containerId, String containerName, String containerIpv4, String name,
                               ServiceKind kind, String httpHostname, Long externalDomainId, String domainName,
                               String backendProtocol, boolean authRequired, int internalPort, String protocol,
                               Integer externalPort, String srvName) {}
}
