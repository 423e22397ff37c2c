package io.proxplane.edge;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxplane.core.edge.EdgeSnapshot;
import io.proxplane.core.edge.EdgeSnapshot.Node;
import io.proxplane.core.edge.ForwardAuth;
import io.proxplane.core.edge.TlsSource;
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
import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;
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
    public record Settings(Duration leaseTime, Path certificateDir, Path keyDir, Set<Integer> reservedTcpPorts,
            Optional<AcmeStore> acme, boolean httpListener) {
        public Settings {
            reservedTcpPorts = Set.copyOf(reservedTcpPorts);
        }

        public Settings(Duration leaseTime, Path certificateDir, Path keyDir) {
            this(leaseTime, certificateDir, keyDir, Set.of(), Optional.empty(), false);
        }

        public static Settings defaults() {
            return new Settings(Duration.ofHours(12), Path.of("/etc/ssl/certs"), Path.of("/etc/ssl/private"), Set.of(80, 443),
                    Optional.empty(), true);
        }
    }


    private SnapshotMapper() {
    }

    /**
     * The snapshot to render, the objects left out of it (each with the reason) and the domains
     * whose certificates come from ACME, with the names in use under each.
     */
    public record Mapped(EdgeSnapshot snapshot, List<Skipped> skipped, List<AcmeManager.Want> acme) {
        public Mapped {
            skipped = List.copyOf(skipped);
            acme = List.copyOf(acme);
        }
    }

    private record AcmeDomain(long id, TlsSource.Acme source, String thumbprint) {}

    /**
     * Maps a registry snapshot. One bad row never stops the site: a domain, container or service
     * the model refuses (or that collides with another) is left out, with the services that depend
     * on it, and reported; everything else is mapped. Only site-wide settings fail the whole map
     * (without them nothing can be rendered).
     */
    public static Mapped map(SiteSnapshot snapshot, Settings settings) {
        SiteSpec spec = snapshot.site().spec();
        DomainName internalDomain = DomainName.of("site.dns_domain", spec.dnsDomain());
        List<Skipped> skipped = new ArrayList<>();
        List<Node> nodes = new ArrayList<>();
        Set<String> nodeNames = new HashSet<>();
        for (var n : snapshot.nodes()) {
            String field = "site_nodes[" + n.name() + "]";
            try {
                Node node = new Node(DnsLabel.of(field + ".name", n.name()), Ipv4Address.of(field + ".ipv4", n.ipv4()));
                if (nodeNames.add(node.name().value())) {
                    nodes.add(node);
                }
            } catch (ValidationException e) {
                skipped.add(new Skipped(Skipped.NODE, n.name(), e.getMessage()));
            }
        }
        EdgeSnapshot.Site site = site(spec, internalDomain, settings, nodes);

        Map<Long, EdgeSnapshot.ExternalDomain> domainsById = new HashMap<>();
        Map<Long, String> skippedDomains = new HashMap<>();
        List<EdgeSnapshot.ExternalDomain> domains = new ArrayList<>();
        Set<String> apexes = new HashSet<>();
        Map<String, AcmeDomain> acmeDomains = new java.util.TreeMap<>();
        for (ExternalDomain domain : snapshot.domains()) {
            try {
                EdgeSnapshot.ExternalDomain mapped = externalDomain(domain, settings, acmeDomains);
                apexes.add(mapped.apex().value());
                domainsById.put(domain.id(), mapped);
                domains.add(mapped);
            } catch (ValidationException e) {
                skippedDomains.put(domain.id(), domain.name());
                skipped.add(Skipped.domain(domain.name(), e.getMessage()));
            }
        }

        Map<Long, ContainerEntry> containersById = new HashMap<>();
        Map<Long, EdgeSnapshot.Container> mappedContainers = new HashMap<>();
        Set<Long> skippedContainers = new HashSet<>();
        List<EdgeSnapshot.Container> containers = new ArrayList<>();
        Set<String> hostnames = new HashSet<>();
        Set<String> ips = new HashSet<>();
        Set<String> macs = new HashSet<>();
        for (Node node : site.nodes()) {
            hostnames.add(node.name().value());
        }
        for (ContainerEntry c : snapshot.containers()) {
            containersById.put(c.id(), c);
            if (c.ipv4() == null || c.mac() == null) {
                continue;
            }
            String field = "containers[" + c.name() + "]";
            try {
                EdgeSnapshot.Container mapped = new EdgeSnapshot.Container(ResourceName.of(field + ".name", c.name()),
                        DnsLabel.of(field + ".hostname", c.hostname()), Ipv4Address.of(field + ".ipv4", c.ipv4()),
                        MacAddress.of(field + ".mac", c.mac()));
                if (!site.cidr().contains(mapped.ip())) {
                    throw new ValidationException(field + ".ipv4", mapped.ip() + " is outside the site network " + site.cidr());
                }
                if (!hostnames.add(mapped.hostname().value())) {
                    throw new ValidationException(field + ".hostname", "is already used by another container or node of the site");
                }
                if (!ips.add(mapped.ip().toString())) {
                    throw new ValidationException(field + ".ipv4", mapped.ip() + " is used by another container");
                }
                if (!macs.add(mapped.mac().toString())) {
                    throw new ValidationException(field + ".mac", mapped.mac() + " is used by another container");
                }
                mappedContainers.put(c.id(), mapped);
                containers.add(mapped);
            } catch (ValidationException e) {
                skippedContainers.add(c.id());
                skipped.add(new Skipped(Skipped.CONTAINER, c.name(), e.getMessage()));
            }
        }

        List<EdgeSnapshot.HttpService> http = new ArrayList<>();
        List<EdgeSnapshot.StreamService> streams = new ArrayList<>();
        List<EdgeSnapshot.SrvRecord> srv = new ArrayList<>();
        Set<String> fqdns = new HashSet<>();
        Set<String> listeners = new HashSet<>();
        Set<EdgeSnapshot.SrvRecord> records = new HashSet<>();
        for (ServiceEntry s : snapshot.services()) {
            if (s.containerIpv4() == null) {
                continue;
            }
            String name = s.containerName() + "/" + s.name();
            String field = "services[" + name + "]";
            if (skippedContainers.contains(s.containerId())) {
                skipped.add(new Skipped(Skipped.SERVICE, name, "its container " + ValidationException.show(s.containerName())
                        + " is skipped"));
                continue;
            }
            if (s.externalDomainId() != null && skippedDomains.containsKey(s.externalDomainId())) {
                skipped.add(new Skipped(Skipped.SERVICE, name, "its external domain "
                        + ValidationException.show(skippedDomains.get(s.externalDomainId())) + " is skipped"));
                continue;
            }
            try {
                Ipv4Address backend = Ipv4Address.of(field + ".container.ipv4", s.containerIpv4());
                Port internalPort = Port.of(field + ".internal_port", s.internalPort());
                switch (s.kind()) {
                    case HTTP -> {
                        EdgeSnapshot.HttpService service = new EdgeSnapshot.HttpService(
                                DnsLabel.of(field + ".http_hostname", s.httpHostname()),
                                DomainName.of(field + ".external_domain", s.domainName()),
                                backend, internalPort,
                                BackendProtocol.of(field + ".backend_protocol", s.backendProtocol()),
                                s.authRequired(),
                                // The seed forwarded the Upgrade pair on every service; so do we.
                                true);
                        if (!apexes.contains(service.domain().value())) {
                            throw new ValidationException(field + ".external_domain", "names a domain that is not in the site");
                        }
                        if (apexes.contains(service.fqdn())) {
                            throw new ValidationException(field + ".http_hostname", service.fqdn() + " is the apex of another external domain");
                        }
                        if (!fqdns.add(service.fqdn())) {
                            throw new ValidationException(field + ".http_hostname", service.fqdn() + " is used by another service");
                        }
                        http.add(service);
                    }
                    case TCP, UDP -> {
                        EdgeSnapshot.StreamService service = new EdgeSnapshot.StreamService(
                                TransportProtocol.of(field + ".protocol", s.protocol()),
                                Port.of(field + ".external_port", required(field + ".external_port", s.externalPort())),
                                backend, internalPort);
                        if (service.protocol() == TransportProtocol.TCP && settings.reservedTcpPorts().contains(service.externalPort().value())) {
                            throw new ValidationException(field + ".external_port", "collides with the edge's own HTTP(S) listener on port "
                                    + service.externalPort());
                        }
                        if (!listeners.add(service.protocol() + "/" + service.externalPort())) {
                            throw new ValidationException(field + ".external_port", "is used by another service");
                        }
                        streams.add(service);
                    }
                    case DNS_SRV -> {
                        ContainerEntry container = containersById.get(s.containerId());
                        if (container == null || !mappedContainers.containsKey(s.containerId())) {
                            throw new ValidationException(field + ".container_id", "names a container outside the snapshot");
                        }
                        EdgeSnapshot.SrvRecord record = new EdgeSnapshot.SrvRecord(srvName(field + ".srv_name", s.srvName(), s.protocol()),
                                internalDomain.child(mappedContainers.get(s.containerId()).hostname()), internalPort, 0, 0);
                        if (!records.add(record)) {
                            throw new ValidationException(field + ".srv_name", "duplicates another service's SRV record");
                        }
                        srv.add(record);
                    }
                }
            } catch (ValidationException e) {
                skipped.add(new Skipped(Skipped.SERVICE, name, e.getMessage()));
            }
        }
        // ACME: each domain's certificate covers its apex and the names in use below it
        List<EdgeSnapshot.AcmeChallenge> challenges = new ArrayList<>();
        List<AcmeManager.Want> wants = new ArrayList<>();
        for (Map.Entry<String, AcmeDomain> e : acmeDomains.entrySet()) {
            String apex = e.getKey();
            List<String> names = new ArrayList<>(List.of(apex));
            for (java.util.Iterator<EdgeSnapshot.HttpService> it = http.iterator(); it.hasNext(); ) {
                EdgeSnapshot.HttpService service = it.next();
                if (!service.domain().value().equals(apex)) {
                    continue;
                }
                if (names.size() >= AcmeManager.MAX_NAMES) {
                    it.remove();
                    skipped.add(new Skipped(Skipped.SERVICE, service.fqdn(), "the ACME certificate of " + apex
                            + " already covers the most names a certificate may hold (" + AcmeManager.MAX_NAMES + ")"));
                    continue;
                }
                names.add(service.fqdn());
            }
            java.util.Collections.sort(names);
            TlsSource.Acme source = e.getValue().source();
            challenges.add(new EdgeSnapshot.AcmeChallenge(new DomainName(apex), e.getValue().thumbprint()));
            wants.add(new AcmeManager.Want(e.getValue().id(), apex, source.email(), source.directoryUrl().map(Object::toString),
                    source.eabKeyId(), source.eabHmacKeyFile().map(p -> Path.of(p.value())), names));
        }
        return new Mapped(new EdgeSnapshot(snapshot.revision(), site, domains, containers, http, streams, srv, challenges),
                skipped, wants);
    }

    private static EdgeSnapshot.Site site(SiteSpec spec, DomainName internalDomain, Settings settings, List<Node> nodes) {
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
                // the Proxmox nodes, as the engine last read them from the clusters
                nodes);
    }

    private static EdgeSnapshot.ExternalDomain externalDomain(ExternalDomain domain, Settings settings,
            Map<String, AcmeDomain> acmeDomains) {
        String field = "external_domains[" + domain.name() + "]";
        DomainName apex = DomainName.of(field + ".name", domain.name());
        Map<String, String> raw = new TreeMap<>();
        JsonNode tls = domain.spec().tlsSource();
        if (tls != null) {
            for (Map.Entry<String, JsonNode> e : tls.properties()) {
                if (!e.getValue().isTextual()) {
                    throw new ValidationException(field + ".tls_source." + ValidationException.show(e.getKey()).replace("'", ""),
                            "must be a string");
                }
                raw.put(e.getKey(), e.getValue().asText());
            }
        }
        TlsSource source = TlsSource.parse(field + ".tls_source", raw, true);
        ConfigPath certificate;
        ConfigPath key;
        switch (source) {
            case TlsSource.Files files -> {
                certificate = files.certificate();
                key = files.key();
            }
            case TlsSource.Acme acme -> {
                if (!settings.httpListener() || settings.acme().isEmpty()) {
                    throw new ValidationException(field + ".tls_source.acmeEmail", "ACME needs the edge's plain-HTTP listener on "
                            + "port 80 for HTTP-01 (edge-agent --nginx-http-port), which this agent does not have");
                }
                certificate = ConfigPath.of(field + ".tls_source", settings.acme().get().certificateFile(apex.value()).toString());
                key = ConfigPath.of(field + ".tls_source", settings.acme().get().keyFile(apex.value()).toString());
                String thumbprint;
                try {
                    thumbprint = settings.acme().get().thumbprint(apex.value());
                } catch (RuntimeException e) {
                    throw new ValidationException(field + ".tls_source.acmeEmail", "the ACME account key cannot be read or made: "
                            + e.getMessage());
                }
                acmeDomains.put(apex.value(), new AcmeDomain(domain.id(), acme, thumbprint));
            }
            case TlsSource.Default ignored -> {
                certificate = ConfigPath.of(field + ".tls_source.certificateFile",
                        settings.certificateDir().resolve(apex.value() + ".crt").toString());
                key = ConfigPath.of(field + ".tls_source.keyFile", settings.keyDir().resolve(apex.value() + ".key").toString());
            }
        }
        Optional<ForwardAuth> auth = Optional.empty();
        ForwardAuth.Settings layout = forwardAuth(field + ".forward_auth", domain.spec().forwardAuth());
        if (domain.spec().authServerUrl() != null) {
            auth = Optional.of(ForwardAuth.of(field + ".forward_auth", field + ".auth_server_url", domain.spec().authServerUrl(), layout));
        } else if (!layout.isEmpty()) {
            throw new ValidationException(field + ".forward_auth", "needs auth_server_url");
        }
        return new EdgeSnapshot.ExternalDomain(apex, certificate, key, auth);
    }

    /** The registry's {@code forward_auth} object, typed; unknown keys and wrong types are refused. */
    static ForwardAuth.Settings forwardAuth(String field, JsonNode node) {
        if (node == null || node.isEmpty()) {
            return ForwardAuth.Settings.NONE;
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!Set.of("preset", "verifyUrl", "signInUrl", "redirectParameter", "identityHeaders", "cacheAllowSeconds",
                    "cacheDenySeconds").contains(e.getKey())) {
                throw new ValidationException(field + "." + ValidationException.show(e.getKey()).replace("'", ""), "is not a forward-auth setting");
            }
        }
        List<String> headers = null;
        if (node.has("identityHeaders")) {
            if (!node.get("identityHeaders").isArray()) {
                throw new ValidationException(field + ".identityHeaders", "must be a list of header names");
            }
            headers = new ArrayList<>();
            for (JsonNode h : node.get("identityHeaders")) {
                if (!h.isTextual()) {
                    throw new ValidationException(field + ".identityHeaders", "must be a list of header names");
                }
                headers.add(h.asText());
            }
        }
        return new ForwardAuth.Settings(string(field, node, "preset"), string(field, node, "verifyUrl"),
                string(field, node, "signInUrl"), string(field, node, "redirectParameter"), headers,
                integer(field, node, "cacheAllowSeconds"), integer(field, node, "cacheDenySeconds"));
    }

    private static String string(String field, JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new ValidationException(field + "." + key, "must be a string");
        }
        return v.asText();
    }

    private static Integer integer(String field, JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new ValidationException(field + "." + key, "must be a whole number");
        }
        return v.asInt();
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
