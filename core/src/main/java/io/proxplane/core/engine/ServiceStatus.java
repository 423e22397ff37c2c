package io.proxplane.core.engine;

/** A service as recorded: its FQDN (http), external port (tcp/udp), SRV name and URL; the edge follows. */
public record ServiceStatus(long id, String site, String container, String name, String kind, String fqdn,
                            Integer externalPort, String srvName, String url, String managedBy) {
}
