package io.proxplane.core.edge;

import static io.proxplane.core.edge.EdgeFixtures.container;
import static io.proxplane.core.edge.EdgeFixtures.domain;
import static io.proxplane.core.edge.EdgeFixtures.http;
import static io.proxplane.core.edge.EdgeFixtures.ip;
import static io.proxplane.core.edge.EdgeFixtures.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proxplane.core.edge.EdgeSnapshot.DhcpRange;
import io.proxplane.core.edge.EdgeSnapshot.Site;
import io.proxplane.core.model.BackendProtocol;
import io.proxplane.core.model.Ipv4Cidr;
import io.proxplane.core.model.TransportProtocol;
import io.proxplane.core.model.ValidationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EdgeSnapshotTest {

    static EdgeSnapshot withLists(List<EdgeSnapshot.Container> containers, List<EdgeSnapshot.HttpService> http,
            List<EdgeSnapshot.StreamService> streams) {
        EdgeSnapshot base = EdgeFixtures.sample(1);
        return new EdgeSnapshot(1, base.site(), base.domains(), containers, http, streams, base.srvRecords());
    }

    @Test
    void listsAreStoredSortedAndImmutable() {
        EdgeSnapshot snapshot = EdgeFixtures.sample(1);
        assertThat(snapshot.containers()).extracting(c -> c.hostname().value()).containsExactly("db", "ldap1", "web");
        assertThat(snapshot.httpServices()).extracting(EdgeSnapshot.HttpService::fqdn)
                .containsExactly("admin.example.test", "web.example.test", "secret.other.test");
        assertThat(snapshot.streamServices()).extracting(s -> s.protocol()).containsExactly(TransportProtocol.TCP, TransportProtocol.UDP);
        assertThat(snapshot.site().nodes()).extracting(n -> n.name().value()).containsExactly("pve1", "pve2");
        assertThatThrownBy(() -> snapshot.containers().add(snapshot.containers().get(0)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void serviceOnUnknownDomainIsRefused() {
        assertThatThrownBy(() -> withLists(List.of(),
                List.of(http("web", "missing.test", "10.15.0.23", 80, BackendProtocol.HTTP, false, false)), List.of()))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("httpServices[web.missing.test].domain");
                    assertThat(e.reason()).contains("not in the snapshot");
                });
    }

    @Test
    void duplicatesAreRefusedWithTheFieldNamed() {
        var web = http("web", "example.test", "10.15.0.23", 80, BackendProtocol.HTTP, false, false);
        assertThatThrownBy(() -> withLists(List.of(), List.of(web, web), List.of()))
                .hasMessageContaining("httpServices[web.example.test]").hasMessageContaining("twice");
        assertThatThrownBy(() -> withLists(List.of(), List.of(),
                List.of(stream(TransportProtocol.TCP, 2200, "10.15.0.2", 22), stream(TransportProtocol.TCP, 2200, "10.15.0.3", 22))))
                .hasMessageContaining("streamServices[tcp/2200]");
        // the same port on tcp and udp is fine
        withLists(List.of(), List.of(),
                List.of(stream(TransportProtocol.TCP, 2200, "10.15.0.2", 22), stream(TransportProtocol.UDP, 2200, "10.15.0.3", 22)));
        assertThatThrownBy(() -> withLists(List.of(container("a", "web", "10.15.0.23", "02:00:00:00:00:01"),
                container("b", "web", "10.15.0.24", "02:00:00:00:00:02")), List.of(), List.of()))
                .hasMessageContaining("containers[web].hostname");
        assertThatThrownBy(() -> withLists(List.of(container("a", "web", "10.15.0.23", "02:00:00:00:00:01"),
                container("b", "db", "10.15.0.23", "02:00:00:00:00:02")), List.of(), List.of()))
                .hasMessageContaining(".ip");
        assertThatThrownBy(() -> withLists(List.of(container("a", "web", "10.15.0.23", "02:00:00:00:00:01"),
                container("b", "db", "10.15.0.24", "02:00:00:00:00:01")), List.of(), List.of()))
                .hasMessageContaining(".mac");
        assertThatThrownBy(() -> withLists(List.of(container("a", "pve1", "10.15.0.23", "02:00:00:00:00:01")), List.of(), List.of()))
                .hasMessageContaining("name of a node");
    }

    @Test
    void containerOutsideTheSiteNetworkIsRefused() {
        assertThatThrownBy(() -> withLists(List.of(container("a", "web", "10.16.0.23", "02:00:00:00:00:01")), List.of(), List.of()))
                .hasMessageContaining("containers[web].ip").hasMessageContaining("outside the site network 10.15.0.0/24");
    }

    @Test
    void siteChecksGatewayRangeAndLeaseTime() {
        Ipv4Cidr cidr = Ipv4Cidr.of("c", "10.15.0.0/24");
        DhcpRange range = new DhcpRange(ip("10.15.0.100"), ip("10.15.0.200"));
        assertThatThrownBy(() -> new Site(domain("x.internal"), cidr, ip("10.16.0.1"), range, Duration.ofHours(1), List.of(), List.of()))
                .hasMessageContaining("site.gateway");
        assertThatThrownBy(() -> new Site(domain("x.internal"), cidr, ip("10.15.0.1"),
                new DhcpRange(ip("10.15.0.100"), ip("10.15.1.200")), Duration.ofHours(1), List.of(), List.of()))
                .hasMessageContaining("site.dhcpRange");
        assertThatThrownBy(() -> new DhcpRange(ip("10.15.0.200"), ip("10.15.0.100"))).hasMessageContaining("above");
        assertThatThrownBy(() -> new Site(domain("x.internal"), cidr, ip("10.15.0.1"), range, Duration.ofSeconds(30), List.of(), List.of()))
                .hasMessageContaining("site.leaseTime");
        Site site = new Site(domain("x.internal"), cidr, ip("10.15.0.1"), range, Duration.ofHours(1),
                new ArrayList<>(List.of(ip("9.9.9.9"), ip("1.1.1.1"), ip("9.9.9.9"))), List.of());
        assertThat(site.dnsForwarders()).containsExactly(ip("9.9.9.9"), ip("1.1.1.1"));
    }

    @Test
    void authServerRedirectParameterIsValidated() {
        assertThatThrownBy(() -> ForwardAuth.of("forwardAuth", "url", "https://auth.example.test",
                new ForwardAuth.Settings(null, null, null, "rd=x&y", null, null, null)))
                .hasMessageContaining("forwardAuth.redirectParameter");
    }
}
