package io.proxplane.core.edge;

import io.proxplane.core.model.ConfigPath;
import io.proxplane.core.model.Ipv4Address;
import io.proxplane.core.model.Port;
import io.proxplane.core.model.ValidationException;
import java.util.Optional;

/**
 * How the rendered dnsmasq configuration is deployed.
 *
 * @param listenAddress       answer only on this address (with bind-interfaces); empty = all
 * @param dnsPort             DNS port (53 in production, a high port in tests)
 * @param noResolv            ignore /etc/resolv.conf and use only the site's forwarders
 * @param dhcpAlternatePorts  server and client DHCP ports instead of 67/68 (tests run DHCP
 *                            without touching the host's DHCP); empty = standard ports
 * @param leaseFile           DHCP lease database; empty = dnsmasq's default
 */
public record DnsmasqSettings(
        Optional<Ipv4Address> listenAddress,
        Port dnsPort,
        boolean noResolv,
        Optional<DhcpPorts> dhcpAlternatePorts,
        Optional<ConfigPath> leaseFile) {

    public DnsmasqSettings {
        EdgeSnapshot.required("dnsmasq.listenAddress", listenAddress);
        EdgeSnapshot.required("dnsmasq.dnsPort", dnsPort);
        EdgeSnapshot.required("dnsmasq.dhcpAlternatePorts", dhcpAlternatePorts);
        EdgeSnapshot.required("dnsmasq.leaseFile", leaseFile);
    }

    public static DnsmasqSettings defaults() {
        return new DnsmasqSettings(Optional.empty(), new Port(53), true, Optional.empty(),
                Optional.of(new ConfigPath("/var/lib/misc/dnsmasq.leases")));
    }

    public record DhcpPorts(Port server, Port client) {
        public DhcpPorts {
            EdgeSnapshot.required("dhcpPorts.server", server);
            EdgeSnapshot.required("dhcpPorts.client", client);
            if (server.equals(client)) {
                throw new ValidationException("dhcpPorts", "server and client port must differ; both are " + server);
            }
        }
    }
}
