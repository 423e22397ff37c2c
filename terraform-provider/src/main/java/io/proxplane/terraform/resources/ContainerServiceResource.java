package io.proxplane.terraform.resources;

import io.proxplane.core.engine.EngineException;

import io.proxplane.core.engine.References;

import io.proxplane.core.registry.Claim;
import io.proxplane.core.engine.ServiceConverger;
import io.proxplane.core.engine.ServiceStatus;
import io.proxplane.core.engine.spec.ContainerServiceSpec;
import io.proxplane.core.registry.Container;
import io.proxplane.core.registry.ExternalDomain;
import io.proxplane.core.registry.Service;
import io.proxplane.core.registry.ServiceKind;
import io.proxplane.core.registry.ServiceSpec;
import io.proxplane.core.registry.Site;
import io.proxplane.terraform.diag.AttributePath;
import io.proxplane.terraform.diag.Diagnostics;
import io.proxplane.terraform.schema.Attribute;
import io.proxplane.terraform.schema.Block;
import io.proxplane.terraform.schema.NestedBlock;
import io.proxplane.terraform.value.TfType;
import io.proxplane.terraform.value.TfValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code proxplane_container_service}: one {@link ContainerServiceSpec}, exactly one of the blocks
 * {@code http}, {@code tcp}, {@code udp}, {@code dns_srv}. Lives in the registry only (the edge
 * agent renders nginx/dnsmasq from it), so refresh costs no Proxmox call.
 */
final class ContainerServiceResource extends EngineResource<ContainerServiceSpec> {

    static final List<String> KINDS = List.of("http", "tcp", "udp", "dns_srv");
    static final SpecPaths PATHS = SpecPaths.of(Map.of());

    @Override
    SpecPaths paths() {
        return PATHS;
    }

    ContainerServiceResource(EngineAccess access) {
        super(access, "proxplane_container_service",
                Identity.of("<site>/<container>/<name>, e.g. lab/web1/https", "site", "container", "name"));
    }

    @Override
    List<EngineException> taken(TfValue.Obj config) {
        String site = Values.str(config, "site"), container = Values.str(config, "container"), name = Values.str(config, "name");
        String kind = kind(config);
        if (site == null || container == null || name == null || kind == null || !config.get(kind).isWhollyKnown()) {
            return List.of();
        }
        TfValue.Obj b = (TfValue.Obj) config.get(kind);
        String self = site + "/" + container + "/" + name;
        References.ServiceValues values = switch (kind) {
            case "tcp", "udp" -> {
                Long port = Values.lng(b, "external_port");
                yield port == null ? null : new References.ServiceValues(site, container, name, kind, port.intValue(), null, null);
            }
            case "http" -> new References.ServiceValues(site, container, name, null, null, Values.str(b, "hostname"),
                    Values.str(b, "domain"));
            default -> null;
        };
        if (values == null) return List.of();
        // held by another manager (team, workspace) is certain; a holder of this workspace may be
        // destroyed by this very apply (a service renamed), so that one is left to the apply
        List<EngineException> out = new java.util.ArrayList<>(access.taken(values).stream()
                .filter(e -> !access.manager().equals(e.holder())).toList());
        // two resources of this plan asking for the same value: the second is refused (its apply would be)
        if (values.externalPort() != null) {
            access.claimPlanned(kind + " port " + values.externalPort() + " of " + site, self).ifPresent(other ->
                    out.add(EngineException.takenValue(kind + ".externalPort", kind + " port " + values.externalPort()
                            + " of site '" + site + "' is also requested by service " + other + " in this plan", other,
                            "choose another port, or leave it unset to get a free one")));
        } else if (values.httpHostname() != null && values.domain() != null) {
            access.claimPlanned("host " + values.httpHostname() + "." + values.domain(), self).ifPresent(other ->
                    out.add(EngineException.takenValue("http.hostname", "host name " + values.httpHostname() + "."
                            + values.domain() + " is also requested by service " + other + " in this plan", other,
                            "choose another host name")));
        }
        return out;
    }

    @Override
    List<References.Reference> references(TfValue.Obj config) {
        String site = Values.str(config, "site"), container = Values.str(config, "container");
        List<References.Reference> out = new java.util.ArrayList<>();
        out.add(new References.Reference("site", References.Kind.SITE, site));
        if (site != null && container != null) out.add(References.Reference.container("container", site, container));
        TfValue.Obj http = Values.obj(config, "http");
        if (http != null) out.add(new References.Reference("http.domain", References.Kind.EXTERNAL_DOMAIN, Values.str(http, "domain")));
        return out;
    }

    @Override
    Block block() {
        Block stream = new Block(List.of(
                Attribute.required("internal_port", TfType.NUMBER, "Port inside the container."),
                Attribute.optional("external_port", TfType.NUMBER, "Port on the edge, 2000-65535; default: the lowest free one (see the computed external_port).")),
                List.of(), "");
        return new Block(List.of(
                Attribute.computed("id", TfType.STRING, "<site>/<container>/<name>; the import id."),
                Attribute.required("site", TfType.STRING, "Site of the container."),
                Attribute.required("container", TfType.STRING, "proxplane_container name."),
                Attribute.required("name", TfType.STRING, "Service name, unique per container (DNS label)."),
                Attribute.computed("fqdn", TfType.STRING, "http: <hostname>.<domain>; tcp/udp: the container's FQDN; dns_srv: the SRV owner name "
                        + "<srv_name>.<site dns_domain>."),
                Attribute.computed("external_port", TfType.NUMBER, "tcp/udp: the port on the edge (requested or allocated); null otherwise."),
                Attribute.computed("srv_name", TfType.STRING, "dns_srv: the SRV name, e.g. _minecraft._tcp."),
                Attribute.computed("url", TfType.STRING, "https://<fqdn>/, or tcp|udp://<site edge_address>:<port> (null while the site has none).")),
                List.of(new NestedBlock("http", new Block(List.of(
                                Attribute.required("hostname", TfType.STRING, "Host label under the domain."),
                                Attribute.required("domain", TfType.STRING, "proxplane_external_domain name."),
                                Attribute.optional("backend_protocol", TfType.STRING, "http (default) or https towards the container."),
                                Attribute.optional("auth_required", TfType.BOOL, "Require login at the edge (default false)."),
                                Attribute.required("internal_port", TfType.NUMBER, "Port inside the container.")),
                                List.of(), "An HTTPS host name proxied to the container."), NestedBlock.Nesting.SINGLE, 0, 0),
                        new NestedBlock("tcp", stream, NestedBlock.Nesting.SINGLE, 0, 0),
                        new NestedBlock("udp", stream, NestedBlock.Nesting.SINGLE, 0, 0),
                        new NestedBlock("dns_srv", new Block(List.of(
                                Attribute.required("name", TfType.STRING, "Service, e.g. minecraft or _minecraft._tcp."),
                                Attribute.optional("protocol", TfType.STRING, "tcp (default) or udp."),
                                Attribute.required("port", TfType.NUMBER, "Port in the container the record points at.")),
                                List.of(), "A DNS SRV record."), NestedBlock.Nesting.SINGLE, 0, 0)),
                "A service of a container: HTTPS host name, TCP/UDP port or DNS SRV record.");
    }

    @Override
    List<AttributePath> replaceAlso(TfValue.Obj prior, TfValue.Obj planned) {
        String before = kind(prior);
        String after = kind(planned);
        return after != null && before != null && !before.equals(after) ? List.of(AttributePath.of(after)) : List.of();
    }

    static String kind(TfValue.Obj v) {
        return KINDS.stream().filter(k -> !v.get(k).isNull()).findFirst().orElse(null);
    }

    @Override
    TfValue.Obj planComputed(TfValue.Obj prior, TfValue.Obj planned, TfValue.Obj config) {
        TfValue.Obj p = planned;
        String site = Values.str(p, "site");
        boolean same = prior != null && KINDS.stream().allMatch(k -> prior.get(k).equals(planned.get(k)));
        if (same) {
            return p; // inputs unchanged: the computed values stay (proposed carries them from the prior state)
        }
        String kind = kind(p);
        if (kind == null || !p.get(kind).isWhollyKnown()) {
            return p.with("fqdn", TfValue.UNKNOWN).with("external_port", TfValue.UNKNOWN).with("srv_name", TfValue.UNKNOWN)
                    .with("url", TfValue.UNKNOWN);
        }
        TfValue.Obj b = (TfValue.Obj) p.get(kind);
        switch (kind) {
            case "http" -> {
                String fqdn = Values.str(b, "hostname") + "." + Values.str(b, "domain");
                return p.with("fqdn", TfValue.of(fqdn)).with("url", TfValue.of("https://" + fqdn + "/"))
                        .with("external_port", TfValue.NULL).with("srv_name", TfValue.NULL);
            }
            case "dns_srv" -> {
                ContainerServiceSpec.DnsSrv srv = PATHS.build(new Diagnostics(), () -> new ContainerServiceSpec.DnsSrv(
                        Values.str(b, "name"), Values.str(b, "protocol"), Values.integer(b, "port")));
                String srvName = srv == null ? null : ContainerServiceSpec.dnsSrv("x", "x", "x", srv).srvName();
                // The record is served under the site's domain: known now when the site is registered.
                TfValue fqdn = srvName == null ? TfValue.UNKNOWN : access.registeredSiteDomain(site)
                        .<TfValue>map(domain -> TfValue.of(srvName + "." + domain)).orElse(TfValue.UNKNOWN);
                return p.with("fqdn", fqdn).with("url", TfValue.NULL).with("external_port", TfValue.NULL)
                        .with("srv_name", srvName == null ? TfValue.UNKNOWN : TfValue.of(srvName));
            }
            default -> {
                // A requested port is known now; an allocated one only after apply, unless the
                // port was allocated before and the protocol stays (the engine keeps it).
                TfValue port = b.get("external_port");
                if (port.isNull()) {
                    port = prior != null && kind.equals(kind(prior)) && ((TfValue.Obj) prior.get(kind)).get("external_port").isNull()
                            ? prior.get("external_port") : TfValue.UNKNOWN;
                }
                boolean portSame = prior != null && port.equals(prior.get("external_port"));
                return p.with("external_port", port).with("srv_name", TfValue.NULL)
                        .with("fqdn", prior != null ? prior.get("fqdn") : TfValue.UNKNOWN)
                        .with("url", portSame ? prior.get("url") : TfValue.UNKNOWN);
            }
        }
    }

    @Override
    Map<String, TfValue> probes() {
        return Map.of("site", TfValue.of("probe"), "container", TfValue.of("probe"));
    }

    @Override
    ContainerServiceSpec toSpec(TfValue.Obj v, Diagnostics d) {
        ContainerServiceSpec spec = build(v, d);
        if (spec != null) {
            canonical(d, v, "site", spec.site());
            canonical(d, v, "container", spec.container());
            canonical(d, v, "name", spec.name());
            if (spec.http() != null) {
                TfValue.Obj b = (TfValue.Obj) v.get("http");
                canonical(d, AttributePath.of("http").attribute("hostname"), Values.str(b, "hostname"), spec.http().hostname());
                canonical(d, AttributePath.of("http").attribute("domain"), Values.str(b, "domain"), spec.http().domain());
            }
        }
        return d.hasErrors() ? null : spec;
    }

    private ContainerServiceSpec build(TfValue.Obj v, Diagnostics d) {
        String kind = kind(v);
        String site = Values.str(v, "site"), container = Values.str(v, "container"), name = Values.str(v, "name");
        if (kind == null) {
            d.error(AttributePath.ROOT, "Missing service kind", "Set exactly one of the blocks http, tcp, udp or dns_srv.");
            return null;
        }
        long count = KINDS.stream().filter(k -> !v.get(k).isNull()).count();
        if (count > 1) {
            d.error(AttributePath.of(KINDS.stream().filter(k -> !v.get(k).isNull()).skip(1).findFirst().orElseThrow()),
                    "Conflicting service kinds", "Set exactly one of the blocks http, tcp, udp or dns_srv, got " + count + ".");
            return null;
        }
        TfValue.Obj b = (TfValue.Obj) v.get(kind);
        SpecPaths inBlock = SpecPaths.of(Map.of("http", "", "dnsSrv", "")).under(AttributePath.of(kind));
        return switch (kind) {
            case "http" -> {
                var http = inBlock.build(d, () -> new ContainerServiceSpec.Http(Values.str(b, "hostname"), Values.str(b, "domain"),
                        Values.str(b, "backend_protocol"), Values.bool(b, "auth_required"), Values.integer(b, "internal_port")));
                yield http == null ? null : PATHS.build(d, () -> ContainerServiceSpec.http(site, container, name, http));
            }
            case "dns_srv" -> {
                var srv = inBlock.build(d, () -> new ContainerServiceSpec.DnsSrv(Values.str(b, "name"), Values.str(b, "protocol"),
                        Values.integer(b, "port")));
                yield srv == null ? null : inBlock.build(d, () -> ContainerServiceSpec.dnsSrv(site, container, name, srv));
            }
            default -> {
                var stream = inBlock.build(d, () -> new ContainerServiceSpec.Stream(Values.integer(b, "internal_port"),
                        Values.integer(b, "external_port")));
                yield stream == null ? null : PATHS.build(d, () -> kind.equals("tcp")
                        ? new ContainerServiceSpec(site, container, name, null, stream, null, null)
                        : new ContainerServiceSpec(site, container, name, null, null, stream, null));
            }
        };
    }

    @Override
    TfValue.Obj converge(Claim claim, ContainerServiceSpec spec, TfValue.Obj planned, Diagnostics d) {
        ServiceConverger.Result r = access.engine().services().apply(claim, spec);
        return withStatus(planned, r.status());
    }

    static TfValue.Obj withStatus(TfValue.Obj state, ServiceStatus s) {
        return state.with("id", TfValue.of(s.site() + "/" + s.container() + "/" + s.name()))
                .with("fqdn", TfValue.of(s.fqdn()))
                .with("external_port", Values.num(s.externalPort()))
                .with("srv_name", TfValue.of(s.srvName()))
                .with("url", TfValue.of(s.url()));
    }

    @Override
    void remove(Claim claim, TfValue.Obj prior, Diagnostics d) {
        access.engine().services().delete(claim, Values.str(prior, "site"), Values.str(prior, "container"),
                Values.str(prior, "name"));
    }

    @Override
    TfValue refresh(TfValue.Obj current, Diagnostics d) {
        String site = Values.str(current, "site"), container = Values.str(current, "container"), name = Values.str(current, "name");
        Optional<ServiceStatus> s = access.engine().services().observe(site, container, name);
        if (s.isEmpty()) {
            return TfValue.NULL;
        }
        TfValue.Obj state = current;
        if (kind(state) == null) {
            state = fromRow(state, site, container, name);
        }
        return withStatus(state, s.get());
    }

    /** An imported service: its kind block from the registry row. */
    private TfValue.Obj fromRow(TfValue.Obj state, String siteName, String containerName, String name) {
        var registry = access.engine().registry();
        Site site = registry.sites().findByName(siteName).orElseThrow();
        Container c = registry.containers().findByName(site.id(), containerName).orElseThrow();
        Service svc = registry.services().findByName(c.id(), name).orElseThrow();
        ServiceSpec s = svc.spec();
        Map<String, TfValue> m = new LinkedHashMap<>();
        String kind;
        if (s.kind() == ServiceKind.HTTP) {
            kind = "http";
            m.put("hostname", TfValue.of(s.httpHostname()));
            m.put("domain", TfValue.of(registry.externalDomains().get(s.externalDomainId()).map(ExternalDomain::name).orElse(null)));
            m.put("backend_protocol", "http".equals(s.backendProtocol()) ? TfValue.NULL : TfValue.of(s.backendProtocol()));
            m.put("auth_required", Values.unsetIfFalse(s.authRequired()));
            m.put("internal_port", TfValue.of(s.internalPort()));
        } else if (s.kind() == ServiceKind.DNS_SRV) {
            kind = "dns_srv";
            m.put("name", TfValue.of(s.srvName()));
            m.put("protocol", "tcp".equals(s.protocol()) ? TfValue.NULL : TfValue.of(s.protocol()));
            m.put("port", TfValue.of(s.internalPort()));
        } else {
            kind = "tcp".equals(s.protocol()) ? "tcp" : "udp";
            m.put("internal_port", TfValue.of(s.internalPort()));
            m.put("external_port", TfValue.NULL);
        }
        return state.with(kind, TfValue.obj(m));
    }
}
