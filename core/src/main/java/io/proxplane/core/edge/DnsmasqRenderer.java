package io.proxplane.core.edge;

import static io.proxplane.core.edge.ConfigText.token;

import io.proxplane.core.edge.EdgeSnapshot.Container;
import io.proxplane.core.edge.EdgeSnapshot.Node;
import io.proxplane.core.edge.EdgeSnapshot.Site;
import io.proxplane.core.edge.EdgeSnapshot.SrvRecord;
import io.proxplane.core.model.DomainName;
import io.proxplane.core.model.Ipv4Address;
import java.time.Duration;

/**
 * Renders a site's dnsmasq configuration (DNS for the internal domain, DHCP with reservations,
 * SRV records, forwarders) as one file. Pure and deterministic; one file rather than the seed's
 * five because the agent validates and swaps the whole configuration at once, and a single file
 * makes "every service kind is rendered" easy to see and test.
 */
public final class DnsmasqRenderer {

    private DnsmasqRenderer() {
    }

    public static String render(EdgeSnapshot snapshot, DnsmasqSettings settings) {
        Site site = snapshot.site();
        DomainName domain = site.internalDomain();
        String lease = leaseTime(site.leaseTime());
        StringBuilder out = new StringBuilder(2048 + snapshot.containers().size() * 140 + snapshot.srvRecords().size() * 100);
        NginxRenderer.header(out, snapshot, "dnsmasq configuration");

        out.append("# daemon\n");
        out.append("port=").append(settings.dnsPort().value()).append('\n');
        settings.listenAddress().ifPresent(address ->
                out.append("listen-address=").append(token(address.toString())).append('\n').append("bind-interfaces\n"));
        if (settings.noResolv()) {
            out.append("no-resolv\n");
        }
        out.append("no-hosts\n")
                .append("domain-needed\n")
                .append("bogus-priv\n");
        settings.leaseFile().ifPresent(file -> out.append("dhcp-leasefile=").append(token(file.value())).append('\n'));
        settings.dhcpAlternatePorts().ifPresent(ports -> out.append("dhcp-alternate-port=")
                .append(ports.server().value()).append(',').append(ports.client().value()).append('\n'));

        out.append("\n# DNS: the internal domain is answered here and never forwarded\n");
        out.append("domain=").append(token(domain.value())).append('\n');
        out.append("local=/").append(token(domain.value())).append("/\n");
        for (Ipv4Address forwarder : site.dnsForwarders()) {
            out.append("server=").append(token(forwarder.toString())).append('\n');
        }

        out.append("\n# nodes\n");
        for (Node node : site.nodes()) {
            hostRecord(out, domain.child(node.name()), node.ip());
        }
        out.append("\n# containers\n");
        for (Container container : snapshot.containers()) {
            out.append("# ").append(token(container.name().value())).append('\n');
            hostRecord(out, domain.child(container.hostname()), container.ip());
        }

        out.append("\n# SRV records\n");
        for (SrvRecord srv : snapshot.srvRecords()) {
            out.append("srv-host=").append(token(srv.name().ownerIn(domain)))
                    .append(',').append(token(srv.target().value()))
                    .append(',').append(srv.port().value())
                    .append(',').append(srv.priority())
                    .append(',').append(srv.weight()).append('\n');
        }

        out.append("\n# DHCP\n");
        out.append("dhcp-authoritative\n");
        out.append("dhcp-range=").append(token(site.dhcpRange().start().toString()))
                .append(',').append(token(site.dhcpRange().end().toString()))
                .append(',').append(token(site.cidr().netmask().toString()))
                .append(',').append(lease).append('\n');
        out.append("dhcp-option=option:router,").append(token(site.gateway().toString())).append('\n');
        for (Container container : snapshot.containers()) {
            out.append("dhcp-host=").append(token(container.mac().value()))
                    .append(',').append(token(container.ip().toString()))
                    .append(',').append(token(container.hostname().value()))
                    .append(',').append(lease).append('\n');
        }
        return out.toString();
    }

    private static void hostRecord(StringBuilder out, DomainName name, Ipv4Address ip) {
        out.append("host-record=").append(token(name.value())).append(',').append(token(ip.toString())).append('\n');
    }

    /** dnsmasq lease time in the largest exact unit (it accepts s, m, h, d, w suffixes). */
    static String leaseTime(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return Long.toString(seconds);
    }
}
