package io.proxplane.core.engine;

import io.proxplane.core.engine.spec.ContainerServiceSpec;
import io.proxplane.core.registry.Container;
import io.proxplane.core.registry.ExternalDomain;
import io.proxplane.core.registry.Claim;
import io.proxplane.core.registry.Service;
import io.proxplane.core.registry.ServiceKind;
import io.proxplane.core.registry.ServiceSpec;
import io.proxplane.core.registry.Site;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Services live in the registry only: host names and ports are allocated and recorded there in one
 * transaction, and the edge agent renders nginx/dnsmasq from the change feed.
 */
public final class ServiceConverger {
    private final EngineContext ctx;

    ServiceConverger(EngineContext ctx) {
        this.ctx = ctx;
    }

    public record Result(ServiceStatus status, List<Action> actions) {}

    /** {@link #apply(Claim, ContainerServiceSpec)} for the manager as a whole ({@link Claim#asManager}: no resource claim checked or set). */
    public Result apply(String manager, ContainerServiceSpec spec) {
        return EngineErrors.guard(() -> applyUnguarded(Claim.asManager(manager), spec));
    }

    /**
     * Creates or updates as {@code claim} may: another manager's object is refused (OWNERSHIP),
     * another resource's (or, for a create, any existing one) with CONFLICT naming its holder, before
     * any change.
     */
    public Result apply(Claim claim, ContainerServiceSpec spec) {
        return EngineErrors.guard(() -> applyUnguarded(claim, spec));
    }

    private Result applyUnguarded(Claim claim, ContainerServiceSpec spec) {
        String manager = claim.manager();
        Site site = ctx.site(spec.site());
        List<Action> recovered = ctx.recovery.resolveAbandoned(site, IntentRecovery.Target.NONE).list();
        Container container = container(site, spec.container());
        // Publishing a container is its owner's decision: a service of another tenant would give it a
        // host name or port (and traffic) the container's manager never declared.
        Tenancy.require(null, "container", spec.site() + "/" + spec.container(), container.meta().managedBy(), "service",
                manager, "attach to it", "declare the service where the container is declared ("
                        + container.meta().managedBy() + "), or attach it to a container of your own");
        Optional<Service> existing = ctx.registry.services().findByName(container.id(), spec.name());
        existing.ifPresent(s -> EngineContext.requireClaim("service", key(spec), s.meta(), claim));
        ServiceSpec wanted = toRegistry(container.id(), spec);
        if (existing.isPresent() && same(existing.get().spec(), wanted) && !claim.claims(existing.get().meta().claimedBy())) {
            return new Result(status(site, container, existing.get()), recovered);
        }
        // a held port names its holder, a taken host name its domain (EngineErrors)
        Service saved = EngineContext.owned(() -> ctx.registry.services().upsert(claim, wanted));
        String detail = saved.externalPort() != null ? "port " + saved.spec().protocol() + "/" + saved.externalPort()
                : status(site, container, saved).fqdn();
        return new Result(status(site, container, saved), with(recovered, new Action(existing.isEmpty() ? "allocate" : "update",
                "service " + key(spec), detail)));
    }

    private static boolean same(ServiceSpec have, ServiceSpec want) {
        return have.kind() == want.kind() && Objects.equals(have.httpHostname(), want.httpHostname())
                && Objects.equals(have.externalDomainId(), want.externalDomainId())
                && Objects.equals(have.backendProtocol(), want.backendProtocol())
                && have.authRequired() == want.authRequired() && have.internalPort() == want.internalPort()
                && Objects.equals(have.protocol(), want.protocol())
                && (want.externalPort() == null || Objects.equals(have.externalPort(), want.externalPort()))
                && Objects.equals(have.srvName(), want.srvName());
    }

    private ServiceSpec toRegistry(long containerId, ContainerServiceSpec s) {
        if (s.http() != null) {
            ExternalDomain d = ctx.registry.externalDomains().findByName(s.http().domain()).orElseThrow(() ->
                    EngineException.missingReference("http.domain", "external domain '" + s.http().domain()
                            + "' does not exist", "create the ExternalDomain first or correct http.domain"));
            return ServiceSpec.http(containerId, s.name(), s.http().hostname(), d.id(), s.http().backendProtocol(),
                    s.http().authRequired(), s.http().internalPort());
        }
        if (s.tcp() != null) return ServiceSpec.tcp(containerId, s.name(), s.tcp().internalPort(), s.tcp().externalPort());
        if (s.udp() != null) return ServiceSpec.udp(containerId, s.name(), s.udp().internalPort(), s.udp().externalPort());
        return ServiceSpec.dnsSrv(containerId, s.name(), s.srvName(), s.dnsSrv().protocol(), s.dnsSrv().port());
    }

    /** {@link #delete(Claim, String, String, String)} for the manager as a whole. */
    public Result delete(String manager, String siteName, String containerName, String name) {
        return EngineErrors.guard(() -> deleteUnguarded(Claim.asManager(manager), siteName, containerName, name));
    }

    /** Deletes if {@code claim} may: its holder, or anyone of its manager while the object is unclaimed. */
    public Result delete(Claim claim, String siteName, String containerName, String name) {
        return EngineErrors.guard(() -> deleteUnguarded(claim, siteName, containerName, name));
    }

    private Result deleteUnguarded(Claim claim, String siteName, String containerName, String name) {
        String manager = claim.manager();
        Site site = ctx.site(siteName);
        List<Action> recovered = ctx.recovery.resolveAbandoned(site, IntentRecovery.Target.NONE).list();
        Optional<Container> container = ctx.registry.containers().findByName(site.id(), containerName);
        Optional<Service> existing = container.flatMap(c -> ctx.registry.services().findByName(c.id(), name));
        if (existing.isEmpty()) {
            return new Result(null, recovered);
        }
        String k = siteName + "/" + containerName + "/" + name;
        EngineContext.requireDeleteClaim("service", k, existing.get().meta(), claim);
        ctx.registry.services().delete(claim, existing.get().id());
        return new Result(null, with(recovered, new Action("release", "service " + k,
                existing.get().externalPort() == null ? null : "port " + existing.get().externalPort())));
    }

    /** What recovering abandoned intents did, then this operation's action. */
    private static List<Action> with(List<Action> recovered, Action action) {
        List<Action> out = new java.util.ArrayList<>(recovered);
        out.add(action);
        return List.copyOf(out);
    }

    public Optional<ServiceStatus> observe(String siteName, String containerName, String name) {
        return EngineErrors.guard(() -> observeUnguarded(siteName, containerName, name));
    }

    private Optional<ServiceStatus> observeUnguarded(String siteName, String containerName, String name) {
        Site site = ctx.site(siteName);
        return ctx.registry.containers().findByName(site.id(), containerName).flatMap(c ->
                ctx.registry.services().findByName(c.id(), name).map(s -> status(site, c, s)));
    }

    private Container container(Site site, String name) {
        return ctx.registry.containers().findByName(site.id(), name).orElseThrow(() -> EngineException.missingReference(
                "container", "container '" + site.name() + "/" + name + "' does not exist",
                "create the Container first or correct the container name"));
    }

    private ServiceStatus status(Site site, Container c, Service s) {
        ServiceSpec sp = s.spec();
        String fqdn = null, url = null;
        if (sp.kind() == ServiceKind.HTTP) {
            String domain = ctx.registry.externalDomains().get(sp.externalDomainId()).map(ExternalDomain::name).orElse("?");
            fqdn = sp.httpHostname() + "." + domain;
            url = "https://" + fqdn + "/";
        } else if (sp.kind() == ServiceKind.DNS_SRV) {
            // The owner name the edge's dnsmasq serves (SrvServiceName.ownerIn(site domain)): clients
            // look up _service._proto.<domain>; the record's target is the container.
            fqdn = sp.srvName() + "." + site.spec().dnsDomain();
        } else {
            fqdn = c.spec().hostname() + "." + site.spec().dnsDomain();
            // the external port listens on the edge, not on the container: no URL until the site
            // says where clients reach its edge
            url = site.spec().edgeAddress() == null ? null : sp.protocol() + "://" + site.spec().edgeAddress() + ":" + s.externalPort();
        }
        return new ServiceStatus(s.id(), site.name(), c.name(), s.name(), sp.kind().toString(), fqdn, s.externalPort(),
                sp.srvName(), url, s.meta().managedBy());
    }

    private static String key(ContainerServiceSpec s) {
        return s.site() + "/" + s.container() + "/" + s.name();
    }
}
