package io.proxplane.core.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxplane.core.engine.spec.SiteSpec;
import io.proxplane.core.proxmox.model.ClusterResource;
import io.proxplane.core.registry.Claim;
import io.proxplane.core.registry.ProxmoxEndpoint;
import io.proxplane.core.registry.Site;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Sites: the registry row, checked against Proxmox (every endpoint reachable, its nodes listed). */
public final class SiteConverger {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final EngineContext ctx;

    SiteConverger(EngineContext ctx) {
        this.ctx = ctx;
    }

    public record Status(long id, String name, List<String> nodes, List<String> onlineNodes, String managedBy) {}

    public record Result(Status status, List<Action> actions) {}

    /** {@link #apply(Claim, SiteSpec)} for the manager as a whole ({@link Claim#asManager}: no resource claim checked or set). */
    public Result apply(String manager, SiteSpec spec) {
        return EngineErrors.guard(() -> applyUnguarded(Claim.asManager(manager), spec));
    }

    /**
     * Creates or updates as {@code claim} may: another manager's object is refused (OWNERSHIP),
     * another resource's (or, for a create, any existing one) with CONFLICT naming its holder, before
     * any change.
     */
    public Result apply(Claim claim, SiteSpec spec) {
        return EngineErrors.guard(() -> applyUnguarded(claim, spec));
    }

    private Result applyUnguarded(Claim claim, SiteSpec spec) {
        String manager = claim.manager();
        Optional<Site> existing = ctx.registry.sites().findByName(spec.name());
        existing.ifPresent(s -> EngineContext.requireClaim("site", spec.name(), s.meta(), claim));
        io.proxplane.core.registry.SiteSpec wanted = toRegistry(spec);
        refuseOverlap(wanted);
        List<Action> actions = new ArrayList<>();
        Site site = existing.orElse(null);
        if (site == null || !site.spec().equals(wanted) || claim.claims(site.meta().claimedBy())) {
            site = EngineContext.owned(() -> ctx.registry.sites().upsert(claim, wanted));
            actions.add(new Action(existing.isEmpty() ? "register" : "update", "site " + spec.name(), null));
        }
        SiteView view = ctx.clusters.observe(site, ctx.errors);
        recordNodeAddresses(site, view);
        return new Result(status(site, view), actions);
    }

    /**
     * The nodes' addresses, for the site's DNS (the edge publishes {@code <node>.<dns domain>}):
     * read from {@code /cluster/status} when the site is applied (the operator's periodic poll and
     * every Terraform apply), written only when they changed. An address that is not IPv4 is left
     * out; a cluster that does not answer keeps the nodes recorded before.
     */
    private void recordNodeAddresses(Site site, SiteView view) {
        java.util.Map<String, String> nodes = new java.util.TreeMap<>();
        for (SiteView.ClusterView cluster : view.clusters()) {
            try {
                for (var n : cluster.client().cluster().nodeAddresses()) {
                    if (n.ip().matches("\\d{1,3}(\\.\\d{1,3}){3}") && n.name().matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")) {
                        nodes.put(n.name(), n.ip());
                    }
                }
            } catch (RuntimeException e) {
                return; // keep what is recorded; the next apply tries again
            }
        }
        ctx.registry.siteNodes().replace(site.id(), nodes);
    }

    /**
     * CONFLICT, not INVALID_SPEC: the spec is valid on its own and would be accepted if the other
     * site were changed or deleted; the refusal names that site so the user can pick which to change.
     * Checked in the engine before the write; two overlapping sites applied at the very same moment
     * by two front doors are not caught (site changes are rare, admin-made operations).
     */
    private void refuseOverlap(io.proxplane.core.registry.SiteSpec wanted) {
        for (Site other : ctx.registry.sites().list()) {
            if (other.spec().name().equals(wanted.name())) continue;
            Optional<String> conflict = SiteOverlap.between(wanted, other.spec());
            if (conflict.isPresent()) {
                throw new EngineException(EngineException.Kind.CONFLICT, conflict.get(),
                        "choose a network that does not overlap " + other.spec().networkCidr() + " or another bridge, "
                                + "or change or delete site '" + other.spec().name() + "'");
            }
        }
    }

    private Status observe(Site site) {
        return status(site, ctx.clusters.observe(site, ctx.errors));
    }

    private Status status(Site site, SiteView view) {
        List<ClusterResource> nodes = view.clusters().stream().flatMap(c -> c.nodes().stream()).toList();
        return new Status(site.id(), site.name(), nodes.stream().map(ClusterResource::node).sorted().toList(),
                nodes.stream().filter(n -> "online".equals(n.status())).map(ClusterResource::node).sorted().toList(),
                site.meta().managedBy());
    }

    public Optional<Status> observe(String name) {
        return EngineErrors.guard(() -> observeUnguarded(name));
    }

    private Optional<Status> observeUnguarded(String name) {
        return ctx.registry.sites().findByName(name).map(this::observe);
    }

    /** {@link #delete(Claim, String)} for the manager as a whole. */
    public Result delete(String manager, String name) {
        return EngineErrors.guard(() -> deleteUnguarded(Claim.asManager(manager), name));
    }

    /** Deletes if {@code claim} may: its holder, or anyone of its manager while the object is unclaimed. */
    public Result delete(Claim claim, String name) {
        return EngineErrors.guard(() -> deleteUnguarded(claim, name));
    }

    private Result deleteUnguarded(Claim claim, String name) {
        String manager = claim.manager();
        Optional<Site> existing = ctx.registry.sites().findByName(name);
        if (existing.isEmpty()) return new Result(null, List.of());
        EngineContext.requireDeleteClaim("site", name, existing.get().meta(), claim);
        int n = ctx.registry.containers().listBySite(existing.get().id()).size();
        if (n > 0) {
            throw new EngineException(EngineException.Kind.IN_USE, "site '" + name + "' still has " + n + " containers",
                    "delete the site's containers first");
        }
        ctx.registry.sites().delete(claim, existing.get().id());
        return new Result(null, List.of(new Action("unregister", "site " + name, null)));
    }

    static io.proxplane.core.registry.SiteSpec toRegistry(SiteSpec s) {
        ObjectNode overrides = JSON.createObjectNode();
        s.nodeOverrides().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(e -> {
            ObjectNode o = overrides.putObject(e.getKey());
            if (e.getValue().storage() != null) o.put("storage", e.getValue().storage());
            if (e.getValue().templateStorage() != null) o.put("templateStorage", e.getValue().templateStorage());
            if (e.getValue().bridge() != null) o.put("bridge", e.getValue().bridge());
            o.put("gpu", e.getValue().gpu());
        });
        return new io.proxplane.core.registry.SiteSpec(s.name(), s.dnsDomain(), s.networkCidr(), s.gateway(),
                s.dhcpStart(), s.dhcpEnd(), List.of(), s.dnsForwarders(), s.bridge(),
                s.proxmoxEndpoints().stream().map(e -> new ProxmoxEndpoint(e.url(), e.tokenId(), e.credentialsRef())).toList(),
                s.placementPolicy() == SiteSpec.PlacementPolicy.FIRST_FIT ? "first-fit" : "least-loaded", overrides, s.edgeAddress());
    }
}
