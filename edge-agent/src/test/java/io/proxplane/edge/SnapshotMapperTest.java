package io.proxplane.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxplane.core.edge.EdgeSnapshot;
import io.proxplane.core.registry.ExternalDomain;
import io.proxplane.core.registry.ExternalDomainSpec;
import io.proxplane.core.registry.RowMeta;
import io.proxplane.core.registry.ServiceKind;
import io.proxplane.core.registry.Site;
import io.proxplane.core.registry.SiteSnapshot;
import io.proxplane.core.registry.SiteSnapshot.ContainerEntry;
import io.proxplane.core.registry.SiteSnapshot.ServiceEntry;
import io.proxplane.core.registry.SiteSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The mapping alone, on hand-built registry snapshots. */
class SnapshotMapperTest {
    static final RowMeta META = new RowMeta("terraform:t", 1, Instant.EPOCH, Instant.EPOCH);
    static final SnapshotMapper.Settings SETTINGS = new SnapshotMapper.Settings(Duration.ofHours(12),
            Path.of("/etc/ssl/certs"), Path.of("/etc/ssl/private"));

    static Site site(String dhcpStart) {
        return new Site(1, new SiteSpec("s1", "s1.internal", "10.0.0.0/24", "10.0.0.1", dhcpStart, dhcpStart == null ? null : "10.0.0.200",
                List.of(), List.of("192.0.2.53"), "vmbr0", List.of(), "least-loaded", null), META);
    }

    static ExternalDomain domain(String name, String auth, boolean ownFiles) {
        var tls = new ObjectMapper().createObjectNode();
        if (ownFiles) {
            tls.put("certificate_file", "/srv/tls/" + name + ".pem").put("key_file", "/srv/tls/" + name + ".key.pem");
        }
        return new ExternalDomain(7, new ExternalDomainSpec(name, 1L, tls, auth), META);
    }

    static ServiceEntry http(long id, String host, String ip) {
        return new ServiceEntry(id, 10, "app", ip, "web" + id, ServiceKind.HTTP, host, 7L, "example.com", "https", true, 8443,
                "tcp", null, null);
    }

    @Test
    void mapsEveryKindAndLeavesOutContainersWithoutAddresses() {
        SiteSnapshot snapshot = new SiteSnapshot(42, site("10.0.0.100"),
                List.of(domain("example.com", "https://auth.example.com/", false), domain("other.org", null, true)),
                List.of(new ContainerEntry(10, "app", "app", "10.0.0.10", "02:00:00:00:00:0a", "pve1", 100),
                        new ContainerEntry(11, "pending", "pending", null, null, null, null)),
                List.of(http(1, "web", "10.0.0.10"), http(2, "later", null),
                        new ServiceEntry(3, 10, "app", "10.0.0.10", "ssh", ServiceKind.TCP, null, null, null, null, false, 22,
                                "tcp", 2222, null),
                        new ServiceEntry(4, 10, "app", "10.0.0.10", "ldaps", ServiceKind.DNS_SRV, null, null, null, null, false,
                                636, "tcp", null, "_ldaps")));

        EdgeSnapshot edge = SnapshotMapper.map(snapshot, SETTINGS).snapshot();

        assertThat(edge.revision()).isEqualTo(42);
        assertThat(edge.containers()).singleElement().satisfies(c -> assertThat(c.hostname().value()).isEqualTo("app"));
        assertThat(edge.httpServices()).singleElement().satisfies(s -> {
            assertThat(s.fqdn()).isEqualTo("web.example.com");
            assertThat(s.backendPort().value()).isEqualTo(8443);
            assertThat(s.authRequired()).isTrue();
            assertThat(s.websockets()).isTrue();
        });
        EdgeSnapshot.ExternalDomain example = edge.domains().get(0);
        assertThat(example.certificate().value()).isEqualTo("/etc/ssl/certs/example.com.crt");
        assertThat(example.certificateKey().value()).isEqualTo("/etc/ssl/private/example.com.key");
        assertThat(example.forwardAuth()).hasValueSatisfying(a -> {
            assertThat(a.verifyUrl().toString()).isEqualTo("https://auth.example.com/verify");
            assertThat(a.signIn()).isEqualTo(new io.proxplane.core.edge.ForwardAuth.SignIn.At(
                    io.proxplane.core.model.HttpUrl.of("t", "https://auth.example.com/login")));
            assertThat(a.redirectParameter()).isEqualTo("redirect");
        });
        assertThat(edge.domains().get(1).certificate().value()).isEqualTo("/srv/tls/other.org.pem");
        assertThat(edge.domains().get(1).forwardAuth()).isEmpty();
        assertThat(edge.streamServices()).singleElement().satisfies(s -> assertThat(s.externalPort().value()).isEqualTo(2222));
        assertThat(edge.srvRecords()).singleElement().satisfies(r -> {
            assertThat(r.name().toString()).isEqualTo("_ldaps._tcp");
            assertThat(r.target().value()).isEqualTo("app.s1.internal");
            assertThat(r.port().value()).isEqualTo(636);
        });
    }

    @Test
    void certificateFilesNamedTheWayTheFrontDoorsDocumentThem() {
        var tls = new ObjectMapper().createObjectNode().put("certificateFile", "/etc/proxplane/tls/apps.example.com.crt")
                .put("keyFile", "/etc/proxplane/tls/apps.example.com.key");
        ExternalDomain fromEngine = new ExternalDomain(7, new ExternalDomainSpec("apps.example.com", 1L, tls, null), META);
        SiteSnapshot snapshot = new SiteSnapshot(1, site("10.0.0.100"), List.of(fromEngine), List.of(), List.of());

        EdgeSnapshot.ExternalDomain mapped = SnapshotMapper.map(snapshot, SETTINGS).snapshot().domains().getFirst();

        assertThat(mapped.certificate().value()).isEqualTo("/etc/proxplane/tls/apps.example.com.crt");
        assertThat(mapped.certificateKey().value()).isEqualTo("/etc/proxplane/tls/apps.example.com.key");
    }

    @Test
    void aRefusedRowIsLeftOutWithItsDependentsAndNamesTheRegistryField() {
        var badTls = new ObjectMapper().createObjectNode().put("certificateFile", "/etc/ssl/a;b.crt").put("keyFile", "/etc/ssl/a.key");
        SiteSnapshot injected = new SiteSnapshot(1, site("10.0.0.100"),
                List.of(domain("example.com", null, false), new ExternalDomain(8, new ExternalDomainSpec("bad.org", 1L, badTls, null), META)),
                List.of(new ContainerEntry(10, "app", "app", "10.0.0.10", "02:00:00:00:00:0a", null, null),
                        new ContainerEntry(11, "dup", "app", "10.0.0.11", "02:00:00:00:00:0b", null, null)),
                List.of(http(1, "web;return 200", "10.0.0.10"), http(2, "ok", "10.0.0.10"),
                        new ServiceEntry(3, 10, "app", "10.0.0.10", "other", ServiceKind.HTTP, "x", 8L, "bad.org", "http", false,
                                80, "tcp", null, null),
                        new ServiceEntry(4, 11, "dup", "10.0.0.11", "ssh", ServiceKind.TCP, null, null, null, null, false, 22,
                                "tcp", 2222, null),
                        new ServiceEntry(5, 10, "app", "10.0.0.10", "https", ServiceKind.TCP, null, null, null, null, false, 22,
                                "tcp", 443, null)));

        SnapshotMapper.Mapped mapped = SnapshotMapper.map(injected, SnapshotMapper.Settings.defaults());

        assertThat(mapped.snapshot().httpServices()).extracting(EdgeSnapshot.HttpService::fqdn).containsExactly("ok.example.com");
        assertThat(mapped.snapshot().domains()).extracting(d -> d.apex().value()).containsExactly("example.com");
        assertThat(mapped.snapshot().containers()).extracting(c -> c.name().value()).containsExactly("app");
        assertThat(mapped.snapshot().streamServices()).isEmpty();
        assertThat(mapped.skipped()).extracting(Skipped::name)
                .containsExactlyInAnyOrder("bad.org", "dup", "app/web1", "app/other", "dup/ssh", "app/https");
        assertThat(mapped.skipped()).filteredOn(k -> k.name().equals("app/web1")).singleElement()
                .satisfies(k -> assertThat(k.reason()).contains("services[app/web1].http_hostname"));
        assertThat(mapped.skipped()).filteredOn(k -> k.name().equals("bad.org")).singleElement()
                .satisfies(k -> assertThat(k.reason()).contains("external_domains[bad.org].tls_source.certificateFile"));
        assertThat(mapped.skipped()).filteredOn(k -> k.name().equals("app/https")).singleElement()
                .satisfies(k -> assertThat(k.reason()).contains("collides with the edge's own"));

        SiteSnapshot noDhcp = new SiteSnapshot(1, site(null), List.of(), List.of(), List.of());
        assertThatThrownBy(() -> SnapshotMapper.map(noDhcp, SETTINGS)).hasMessageContaining("site.dhcp_start");
    }

    @Test
    void aNameWithALineBreakCannotForgeALine() {
        Skipped k = new Skipped(Skipped.SERVICE, "app/x\nINFO forged", "bad\nINFO forged too");
        assertThat(k.describe()).doesNotContain("\n");
        assertThat(AgentMetrics.label("a\"b\nc")).isEqualTo("a\\\"b\\nc");
    }
}
