package io.proxplane.edge;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxplane.core.edge.EdgeSnapshot;
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
import io.proxplane.core.model.ValidationException;
import io.proxplane.core.registry.ExternalDomain;
import io.proxplane.core.registry.SiteSnapshot;
import io.proxplane.core.registry.SiteSnapshot.ContainerEntry;
import io.proxplane.core.registry.SiteSnapshot.ServiceEntry;
import io.proxplane.core.registry.SiteSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns one consistent registry read of a site ({@link SiteSnapshot}) into the renderers' validated
 * {@link EdgeSnapshot}. Pure. Every registry value passes through the model's factories, so a value
 * the renderers would refuse fails here with the registry field it came from.
 *
 * <p>Containers and services whose container has no address yet (not reserved by the allocator)
 * are left out: there is nothing to route to.
 */
public final class SnapshotMapper {

    /**
     * What the registry does not hold: the DHCP lease time and where certificates live by default
     * ({@code <certificateDir>/<domain>.crt}, {@code <keyDir>/<domain>.key}, the seed's layout).
     * A domain's {@code tls_source} may name its own files: {@code certificateFile} and {@code keyFile}, the
     * keys both front doors document (ExternalDomainSpec), or {@code certificate_file} and
     * {@code key_file}, which registries written before the engine hold.
     */
    public record Settings(Duration leaseTime, Path certificateDir, Path keyDir) {
        public static Settings defaults() {
            return new Settings(Duration.ofHours(12), Path.of("/etc/ssl/certs"), Path.of("/etc/ssl/private"));
        }
    }

    /** Auth server layout of the built-in verify endpoint: {@code <base>/verify} and {@code <base>/login?redirect=}. */
    static final String VERIFY_PATH = "/verify";
    static final String LOGIN_PATH = "/login";
    static final String REDIRECT_PARAMETER = "redirect";

    private SnapshotMapper() {
    }

    public static EdgeSnapshot map(SiteSnapshot snapshot, Settings settings) {
        SiteSpec spec = snapshot.site().spec();
        DomainName internalDomain = DomainName.of("site.dns_domain", spec.dnsDomain());
        EdgeSnapshot.Site site = site(spec, internalDomain, settings);

        List<EdgeSnapshot.ExternalDomain> domains = new ArrayList<>();
        for (ExternalDomain domain : snapshot.domains()) {
            domains.add(externalDomain(domain, settings));
        }

        Map<Long, ContainerEntry> containersById = new HashMap<>();
        List<EdgeSnapshot.Container> containers = new ArrayList<>();
        for (ContainerEntry c : snapshot.containers()) {
            containersById.put(c.id(), c);
            if (c.ipv4() == null || c.mac() == null) {
                continue;
            }
            String field = "containers[" + c.name() + "]";
            containers.add(new EdgeSnapshot.Container(ResourceName.of(field + ".name", c.name()),
                    DnsLabel.of(field + ".hostname", c.hostname()), Ipv4Address.of(field + ".ipv4", c.ipv4()),
                    MacAddress.of(field + ".mac", c.mac())));
        }

        List<EdgeSnapshot.HttpService> http = new ArrayList<>();
        List<EdgeSnapshot.StreamService> streams = new ArrayList<>();
        List<EdgeSnapshot.SrvRecord> srv = new ArrayList<>();
        for (ServiceEntry s : snapshot.services()) {
            if (s.containerIpv4() == null) {
                continue;
            }
            String field = "services[" + s.containerName() + "/" + s.name() + "]";
            Ipv4Address backend = Ipv4Address.of(field + ".container.ipv4", s.containerIpv4());
            Port internalPort = Port.of(field + ".internal_port", s.internalPort());
            switch (s.kind()) {
                case HTTP -> http.add(new EdgeSnapshot.HttpService(
                        DnsLabel.of(field + ".http_hostname", s.httpHostname()),
                        DomainName.of(field + ".external_domain", s.domainName()),
                        backend, internalPort,
                        BackendProtocol.of(field + ".backend_protocol", s.backendProtocol()),
                        s.authRequired(),
                        // The seed forwarded the Upgrade pair on every service; so do we.
                        true));
                case TCP, UDP -> streams.add(new EdgeSnapshot.StreamService(
                        TransportProtocol.of(field + ".protocol", s.protocol()),
                        Port.of(field + ".external_port", required(field + ".external_port", s.externalPort())),
                        backend, internalPort));
                case DNS_SRV -> {
                    ContainerEntry container = containersById.get(s.containerId());
                    if (container == null) {
                        throw new ValidationException(field + ".container_id", "names a container outside the snapshot");
                    }
                    srv.add(new EdgeSnapshot.SrvRecord(srvName(field + ".srv_name", s.srvName(), s.protocol()),
                            internalDomain.child(DnsLabel.of(field + ".container.hostname", container.hostname())),
                            internalPort, 0, 0));
                }
            }
        }
        return new EdgeSnapshot(snapshot.revision(), site, domains, containers, http, streams, srv);
    }

    private static EdgeSnapshot.Site site(SiteSpec spec, DomainName internalDomain, Settings settings) {
        if (spec.dhcpStart() == null || spec.dhcpEnd() == null) {
            throw new ValidationException("site.dhcp_start", "the edge needs the site's DHCP range (dhcp_start and dhcp_end)");
        }
        List<Ipv4Address> forwarders = new ArrayList<>();
        for (int i = 0; i < spec.dnsForwarders().size(); i++) {
            forwarders.add(Ipv4Address.of("site.dns_forwarders[" + i + "]", spec.dnsForwarders().get(i)));
        }
        return new EdgeSnapshot.Site(internalDomain,
                Ipv4Cidr.of("site.network_cidr", spec.networkCidr()),
                Ipv4Address.of("site.gateway", spec.gateway()),
                new EdgeSnapshot.DhcpRange(Ipv4Address.of("site.dhcp_start", spec.dhcpStart()),
                        Ipv4Address.of("site.dhcp_end", spec.dhcpEnd())),
                settings.leaseTime(), forwarders,
                // The registry has no node addresses yet; nodes are not published in DNS.
                List.of());
    }

    private static EdgeSnapshot.ExternalDomain externalDomain(ExternalDomain domain, Settings settings) {
        String field = "external_domains[" + domain.name() + "]";
        DomainName apex = DomainName.of(field + ".name", domain.name());
        JsonNode tls = domain.spec().tlsSource();
        ConfigPath certificate = ConfigPath.of(field + ".tls_source.certificate_file",
                text(tls, "certificateFile").or(() -> text(tls, "certificate_file"))
                        .orElse(settings.certificateDir().resolve(apex.value() + ".crt").toString()));
        ConfigPath key = ConfigPath.of(field + ".tls_source.key_file",
                text(tls, "keyFile").or(() -> text(tls, "key_file"))
                        .orElse(settings.keyDir().resolve(apex.value() + ".key").toString()));
        Optional<EdgeSnapshot.AuthServer> auth = Optional.empty();
        String base = domain.spec().authServerUrl();
        if (base != null) {
            String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
            auth = Optional.of(new EdgeSnapshot.AuthServer(
                    HttpUrl.of(field + ".auth_server_url", trimmed + VERIFY_PATH),
                    HttpUrl.of(field + ".auth_server_url", trimmed + LOGIN_PATH), REDIRECT_PARAMETER));
        }
        return new EdgeSnapshot.ExternalDomain(apex, certificate, key, auth);
    }

    private static Optional<String> text(JsonNode node, String name) {
        JsonNode value = node == null ? null : node.get(name);
        return value == null || !value.isTextual() || value.asText().isBlank() ? Optional.empty() : Optional.of(value.asText());
    }

    private static SrvServiceName srvName(String field, String srvName, String protocol) {
        if (srvName != null && srvName.contains("._")) {
            return SrvServiceName.of(field, srvName);
        }
        return SrvServiceName.of(field, srvName, TransportProtocol.of(field + ".protocol", protocol));
    }

    private static <T> T required(String field, T value) {
        if (value == null) {
            throw new ValidationException(field, "is required");
        }
        return value;
    }
}
