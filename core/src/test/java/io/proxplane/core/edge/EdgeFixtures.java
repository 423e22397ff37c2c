package io.proxplane.core.edge;

import io.proxplane.core.edge.EdgeSnapshot.Container;
import io.proxplane.core.edge.EdgeSnapshot.DhcpRange;
import io.proxplane.core.edge.EdgeSnapshot.ExternalDomain;
import io.proxplane.core.edge.EdgeSnapshot.HttpService;
import io.proxplane.core.edge.EdgeSnapshot.Node;
import io.proxplane.core.edge.EdgeSnapshot.Site;
import io.proxplane.core.edge.EdgeSnapshot.SrvRecord;
import io.proxplane.core.edge.EdgeSnapshot.StreamService;
import io.proxplane.core.model.BackendProtocol;
import io.proxplane.core.model.ConfigPath;
import io.proxplane.core.model.DnsLabel;
import io.proxplane.core.model.DomainName;
import io.proxplane.core.model.HttpUrl;
import io.proxplane.core.model.Ipv4Address;
import io.proxplane.core.model.Ipv4Cidr;
import io.proxplane.core.model.MacAddress;
import io.proxplane.core.model.Port;
import io.proxplane.core.model.ResourceName;
import io.proxplane.core.model.SrvServiceName;
import io.proxplane.core.model.TransportProtocol;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Small, readable builders for snapshots used across the edge tests. */
final class EdgeFixtures {

    private EdgeFixtures() {
    }

    static Ipv4Address ip(String raw) {
        return Ipv4Address.of("test.ip", raw);
    }

    static DomainName domain(String raw) {
        return DomainName.of("test.domain", raw);
    }

    static DnsLabel label(String raw) {
        return DnsLabel.of("test.label", raw);
    }

    static Site site() {
        return new Site(domain("cluster.test.internal"), Ipv4Cidr.of("test.cidr", "10.15.0.0/24"), ip("10.15.0.1"),
                new DhcpRange(ip("10.15.0.100"), ip("10.15.0.200")), Duration.ofHours(12),
                List.of(ip("192.0.2.53"), ip("198.51.100.53")),
                List.of(new Node(label("pve2"), ip("10.15.0.3")), new Node(label("pve1"), ip("10.15.0.2"))));
    }

    static Container container(String name, String hostname, String ip, String mac) {
        return new Container(ResourceName.of("test.name", name), label(hostname), ip(ip), MacAddress.of("test.mac", mac));
    }

    static ExternalDomain externalDomain(String apex, ConfigPath cert, ConfigPath key, Optional<ForwardAuth> auth) {
        return new ExternalDomain(domain(apex), cert, key, auth);
    }

    /** The built-in layout with an explicit verify URL and sign-in page, redirect parameter {@code rd}. */
    static ForwardAuth authServer(String verify, String login) {
        return ForwardAuth.of("test", "test.url", "https://unused.example.test", new ForwardAuth.Settings(null, verify, login, "rd",
                null, 0, 0));
    }

    static HttpService http(String host, String domain, String backendIp, int port, BackendProtocol protocol,
            boolean auth, boolean websockets) {
        return new HttpService(label(host), domain(domain), ip(backendIp), new Port(port), protocol, auth, websockets);
    }

    static StreamService stream(TransportProtocol protocol, int external, String backendIp, int backendPort) {
        return new StreamService(protocol, new Port(external), ip(backendIp), new Port(backendPort));
    }

    static SrvRecord srv(String name, String target, int port, int priority, int weight) {
        return new SrvRecord(SrvServiceName.of("test.srv", name), domain(target), new Port(port), priority, weight);
    }

    /** A snapshot with one of everything (and more than one of most things, to exercise sorting). */
    static EdgeSnapshot sample(long revision) {
        ConfigPath cert = new ConfigPath("/etc/proxplane/tls/example.test.crt");
        ConfigPath key = new ConfigPath("/etc/proxplane/tls/example.test.key");
        ConfigPath otherCert = new ConfigPath("/etc/proxplane/tls/other.test.crt");
        ConfigPath otherKey = new ConfigPath("/etc/proxplane/tls/other.test.key");
        return new EdgeSnapshot(revision, site(),
                List.of(externalDomain("other.test", otherCert, otherKey, Optional.empty()),
                        externalDomain("example.test", cert, key,
                                Optional.of(authServer("http://127.0.0.1:9000/verify", "https://auth.example.test/login")))),
                List.of(container("k8s:team/web", "web", "10.15.0.23", "02:00:0a:0f:00:17"),
                        container("k8s:team/db", "db", "10.15.0.24", "02:00:0a:0f:00:18"),
                        container("terraform:ldap", "ldap1", "10.15.0.30", "02:00:0a:0f:00:1e")),
                List.of(http("web", "example.test", "10.15.0.23", 8080, BackendProtocol.HTTP, false, true),
                        http("admin", "example.test", "10.15.0.23", 8443, BackendProtocol.HTTPS, true, false),
                        http("secret", "other.test", "10.15.0.24", 80, BackendProtocol.HTTP, true, false)),
                List.of(stream(TransportProtocol.UDP, 5353, "10.15.0.24", 53),
                        stream(TransportProtocol.TCP, 2201, "10.15.0.23", 22)),
                List.of(srv("_ldaps._tcp", "ldap1.cluster.test.internal", 636, 0, 0)));
    }
}
