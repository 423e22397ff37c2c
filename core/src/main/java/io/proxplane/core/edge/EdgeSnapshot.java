package io.proxplane.core.edge;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the edge of one site serves, taken from one consistent registry read. Built only from
 * validated model values; the constructor checks the cross-references (a service's domain exists,
 * names and addresses are unique) and stores every list sorted, so renderers that walk the lists in
 * order produce the same bytes for the same content whatever order the registry returned.
 */
public record EdgeSnapshot(
        long revision,
        Site site,
        List<ExternalDomain> domains,
        List<Container> containers,
        List<HttpService> httpServices,
        List<StreamService> streamServices,
        List<SrvRecord> srvRecords,
        List<AcmeChallenge> acmeChallenges) {

    public EdgeSnapshot(long revision, Site site, List<ExternalDomain> domains, List<Container> containers,
            List<HttpService> httpServices, List<StreamService> streamServices, List<SrvRecord> srvRecords) {
        this(revision, site, domains, containers, httpServices, streamServices, srvRecords, List.of());
    }

    public EdgeSnapshot {
        if (revision < 0) {
            throw new ValidationException("revision", "must be >= 0; got " + revision);
        }
        required("site", site);
        domains = sorted("domains", domains, Comparator.comparing(ExternalDomain::apex));
        containers = sorted("containers", containers, Comparator.comparing(Container::hostname));
        httpServices = sorted("httpServices", httpServices,
                Comparator.comparing(HttpService::domain).thenComparing(HttpService::host));
        streamServices = sorted("streamServices", streamServices,
                Comparator.comparing(StreamService::protocol).thenComparing(StreamService::externalPort));
        srvRecords = sorted("srvRecords", srvRecords, Comparator.comparing(SrvRecord::name)
                .thenComparing(SrvRecord::priority).thenComparing(SrvRecord::weight)
                .thenComparing(SrvRecord::target).thenComparing(SrvRecord::port));
        acmeChallenges = sorted("acmeChallenges", acmeChallenges, Comparator.comparing(AcmeChallenge::apex));
        checkReferences(site, domains, containers, httpServices, streamServices, srvRecords);
    }

    /** The same snapshot without these domains and the HTTP services under them. */
    public EdgeSnapshot withoutDomains(Set<DomainName> apexes) {
        if (apexes.isEmpty()) {
            return this;
        }
        return new EdgeSnapshot(revision, site, domains.stream().filter(d -> !apexes.contains(d.apex())).toList(), containers,
                httpServices.stream().filter(s -> !apexes.contains(s.domain())).toList(), streamServices, srvRecords,
                // the challenge answers stay: a domain waiting for its first certificate needs them
                acmeChallenges);
    }

    public Optional<ExternalDomain> domain(DomainName apex) {
        for (ExternalDomain domain : domains) {
            if (domain.apex().equals(apex)) {
                return Optional.of(domain);
            }
        }
        return Optional.empty();
    }

    private static void checkReferences(Site site, List<ExternalDomain> domains, List<Container> containers,
            List<HttpService> http, List<StreamService> streams, List<SrvRecord> srvRecords) {
        Set<DomainName> apexes = new HashSet<>();
        for (ExternalDomain domain : domains) {
            if (!apexes.add(domain.apex())) {
                throw new ValidationException("domains[" + domain.apex() + "]", "is listed twice");
            }
        }
        Set<DnsLabel> nodeNames = new HashSet<>();
        for (Node node : site.nodes()) {
            if (!nodeNames.add(node.name())) {
                throw new ValidationException("site.nodes[" + node.name() + "]", "is listed twice");
            }
        }
        Set<Ipv4Address> ips = new HashSet<>();
        Set<MacAddress> macs = new HashSet<>();
        Set<DnsLabel> hostnames = new HashSet<>();
        for (Container container : containers) {
            String field = "containers[" + container.hostname() + "]";
            if (!hostnames.add(container.hostname())) {
                throw new ValidationException(field + ".hostname", "is used by two containers");
            }
            if (nodeNames.contains(container.hostname())) {
                throw new ValidationException(field + ".hostname", "is also the name of a node in the site");
            }
            if (!ips.add(container.ip())) {
                throw new ValidationException(field + ".ip", container.ip() + " is used by two containers");
            }
            if (!macs.add(container.mac())) {
                throw new ValidationException(field + ".mac", container.mac() + " is used by two containers");
            }
            if (!site.cidr().contains(container.ip())) {
                throw new ValidationException(field + ".ip", container.ip() + " is outside the site network " + site.cidr());
            }
        }
        Map<String, HttpService> byName = new HashMap<>();
        for (HttpService service : http) {
            String field = "httpServices[" + service.fqdn() + "]";
            if (!apexes.contains(service.domain())) {
                throw new ValidationException(field + ".domain", "names the external domain " + service.domain()
                        + ", which is not in the snapshot");
            }
            if (byName.putIfAbsent(service.fqdn(), service) != null) {
                throw new ValidationException(field, "is defined twice");
            }
            if (apexes.contains(new DomainName(service.fqdn()))) {
                throw new ValidationException(field, "equals the apex of another external domain");
            }
        }
        Set<String> listeners = new HashSet<>();
        for (StreamService service : streams) {
            if (!listeners.add(service.protocol() + "/" + service.externalPort())) {
                throw new ValidationException("streamServices[" + service.protocol().lowerName() + "/"
                        + service.externalPort() + "]", "uses an external port that is already taken");
            }
        }
        Set<SrvRecord> seen = new HashSet<>();
        for (SrvRecord record : srvRecords) {
            if (!seen.add(record)) {
                throw new ValidationException("srvRecords[" + record.name() + "]", "is listed twice with the same target");
            }
        }
    }

    private static <T> List<T> sorted(String field, List<T> items, Comparator<? super T> order) {
        required(field, items);
        List<T> copy = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            copy.add(required(field + "[" + i + "]", items.get(i)));
        }
        copy.sort(order);
        return List.copyOf(copy);
    }

    static <T> T required(String field, T value) {
        if (value == null) {
            throw new ValidationException(field, "is required");
        }
        return value;
    }

    /** The site's internal network and what dnsmasq serves on it. */
    public record Site(
            DomainName internalDomain,
            Ipv4Cidr cidr,
            Ipv4Address gateway,
            DhcpRange dhcpRange,
            Duration leaseTime,
            List<Ipv4Address> dnsForwarders,
            List<Node> nodes) {

        public Site {
            required("site.internalDomain", internalDomain);
            required("site.cidr", cidr);
            required("site.gateway", gateway);
            required("site.dhcpRange", dhcpRange);
            required("site.leaseTime", leaseTime);
            if (!cidr.contains(gateway)) {
                throw new ValidationException("site.gateway", gateway + " is outside the site network " + cidr);
            }
            if (!cidr.contains(dhcpRange.start()) || !cidr.contains(dhcpRange.end())) {
                throw new ValidationException("site.dhcpRange", dhcpRange + " is not inside the site network " + cidr);
            }
            if (leaseTime.compareTo(Duration.ofMinutes(2)) < 0 || leaseTime.getNano() != 0
                    || leaseTime.compareTo(Duration.ofDays(365)) > 0) {
                throw new ValidationException("site.leaseTime",
                        "must be whole seconds between 2 minutes and 365 days (dnsmasq's minimum is 2 minutes); got " + leaseTime);
            }
            // Forwarders keep their order (it is the admin's preference) but lose duplicates.
            dnsForwarders = List.copyOf(new LinkedHashSet<>(required("site.dnsForwarders", dnsForwarders)));
            nodes = sorted("site.nodes", nodes, Comparator.comparing(Node::name));
        }
    }

    /** Inclusive DHCP pool. */
    public record DhcpRange(Ipv4Address start, Ipv4Address end) {
        public DhcpRange {
            required("dhcpRange.start", start);
            required("dhcpRange.end", end);
            if (start.compareTo(end) > 0) {
                throw new ValidationException("dhcpRange", "start " + start + " is above end " + end);
            }
        }

        @Override
        public String toString() {
            return start + "-" + end;
        }
    }

    /** A Proxmox node, published in DNS as {@code <name>.<internalDomain>}. */
    public record Node(DnsLabel name, Ipv4Address ip) {
        public Node {
            required("node.name", name);
            required("node.ip", ip);
        }
    }

    /**
     * A public domain with its certificate (apex + the names below it) and, optionally, the forward
     * auth that protects services marked {@code authRequired}.
     */
    public record ExternalDomain(DomainName apex, ConfigPath certificate, ConfigPath certificateKey,
            Optional<ForwardAuth> forwardAuth) {
        public ExternalDomain {
            required("domain.apex", apex);
            required("domains[" + apex + "].certificate", certificate);
            required("domains[" + apex + "].certificateKey", certificateKey);
            required("domains[" + apex + "].forwardAuth", forwardAuth);
        }
    }

    /**
     * HTTP-01 answers for a domain whose certificate comes from ACME: on the plain-HTTP listener,
     * {@code /.well-known/acme-challenge/<token>} under the apex and every name below it returns
     * {@code <token>.<thumbprint>} (RFC 8555 §8.3), the thumbprint of the domain's account key.
     */
    public record AcmeChallenge(DomainName apex, String thumbprint) {
        public AcmeChallenge {
            required("acmeChallenge.apex", apex);
            required("acmeChallenges[" + apex + "].thumbprint", thumbprint);
            if (!thumbprint.matches("[A-Za-z0-9_-]{43}")) {
                throw new ValidationException("acmeChallenges[" + apex + "].thumbprint", "must be a base64url SHA-256 thumbprint");
            }
        }
    }

    /** A container with its static address. */
    public record Container(ResourceName name, DnsLabel hostname, Ipv4Address ip, MacAddress mac) {
        public Container {
            required("container.name", name);
            required("containers[" + name + "].hostname", hostname);
            required("containers[" + name + "].ip", ip);
            required("containers[" + name + "].mac", mac);
        }
    }

    /** {@code https://<host>.<domain>} proxied to a container port. */
    public record HttpService(DnsLabel host, DomainName domain, Ipv4Address backendIp, Port backendPort,
            BackendProtocol backendProtocol, boolean authRequired, boolean websockets) {
        public HttpService {
            required("httpService.host", host);
            required("httpService.domain", domain);
            required("httpServices[" + host + "." + domain + "].backendIp", backendIp);
            required("httpServices[" + host + "." + domain + "].backendPort", backendPort);
            required("httpServices[" + host + "." + domain + "].backendProtocol", backendProtocol);
        }

        public String fqdn() {
            return host.value() + "." + domain.value();
        }
    }

    /** A TCP or UDP port on the edge proxied to a container port. */
    public record StreamService(TransportProtocol protocol, Port externalPort, Ipv4Address backendIp, Port backendPort) {
        public StreamService {
            required("streamService.protocol", protocol);
            required("streamService.externalPort", externalPort);
            required("streamService.backendIp", backendIp);
            required("streamService.backendPort", backendPort);
        }
    }

    /** {@code <name>.<internalDomain> SRV priority weight port target}. */
    public record SrvRecord(SrvServiceName name, DomainName target, Port port, int priority, int weight) {
        public SrvRecord {
            required("srvRecord.name", name);
            required("srvRecords[" + name + "].target", target);
            required("srvRecords[" + name + "].port", port);
            if (priority < 0 || priority > 65535) {
                throw new ValidationException("srvRecords[" + name + "].priority", "must be 0-65535; got " + priority);
            }
            if (weight < 0 || weight > 65535) {
                throw new ValidationException("srvRecords[" + name + "].weight", "must be 0-65535; got " + weight);
            }
        }
    }
}
