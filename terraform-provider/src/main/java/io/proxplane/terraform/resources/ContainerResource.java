package io.proxplane.terraform.resources;

import io.proxplane.core.engine.References;

import io.proxplane.core.registry.Claim;
import io.proxplane.core.engine.ContainerResult;
import io.proxplane.core.engine.ContainerStatus;
import io.proxplane.core.engine.Drift;
import io.proxplane.core.engine.SiteObservation;
import io.proxplane.core.engine.spec.ContainerSpec;
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
 * {@code proxplane_container}: one {@link ContainerSpec}. Refresh reads the site's bulk
 * observation (one /cluster/resources per cluster for all containers of the run), so drift in
 * power state, cores, memory and node shows in the plan without a request per container.
 */
final class ContainerResource extends EngineResource<ContainerSpec> {

    /** The engine's defaults, taken from the spec builder so there is one source of them. */
    static final ContainerSpec DEFAULTS = ContainerSpec.builder("x", "x", "docker.io/library/x:1").build();
    static final SpecPaths PATHS = SpecPaths.of(Map.of(), "env");

    @Override
    SpecPaths paths() {
        return PATHS;
    }

    ContainerResource(EngineAccess access) {
        super(access, "proxplane_container", Identity.of("<site>/<name>, e.g. lab/web1", "site", "name"));
    }

    @Override
    Optional<References.Reference> declares(TfValue.Obj planned) {
        String site = Values.str(planned, "site"), name = Values.str(planned, "name");
        return site == null || name == null ? Optional.empty() : Optional.of(References.Reference.container("name", site, name));
    }

    @Override
    List<References.Reference> references(TfValue.Obj config) {
        return List.of(new References.Reference("site", References.Kind.SITE, Values.str(config, "site")),
                new References.Reference("pool", References.Kind.POOL, Values.str(config, "pool")),
                new References.Reference("owner", References.Kind.USER, Values.str(config, "owner")));
    }

    @Override
    Block block() {
        return new Block(List.of(
                Attribute.computed("id", TfType.STRING, "<site>/<name>; the import id."),
                Attribute.required("site", TfType.STRING, "Site (proxplane_site name) the container lives in. Changing it replaces the container."),
                Attribute.required("name", TfType.STRING, "Name, unique in the site (a DNS label). Changing it replaces the container."),
                Attribute.optionalComputed("hostname", TfType.STRING, "Host name (DNS label); default the name."),
                Attribute.optionalComputed("node", TfType.STRING, "Proxmox node; default: the engine places it (least committed memory among online nodes). "
                        + "Setting a different node replaces the container."),
                Attribute.required("image", TfType.STRING, "OCI reference with tag (docker.io/library/nginx:1.27) or template volume "
                        + "(local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst). Changing it replaces the container."),
                Attribute.optionalComputed("cores", TfType.NUMBER, "CPU cores, 1-1024 (default " + DEFAULTS.cores() + ")."),
                Attribute.optionalComputed("memory_mb", TfType.NUMBER, "Memory in MiB, at least 16 (default " + DEFAULTS.memoryMb() + ")."),
                Attribute.optionalComputed("swap_mb", TfType.NUMBER, "Swap in MiB (default " + DEFAULTS.swapMb() + ")."),
                Attribute.optionalComputed("disk_gb", TfType.NUMBER, "Root disk in GiB (default " + DEFAULTS.diskGb()
                        + "); grows in place, shrinking replaces the container."),
                Attribute.optional("env", TfType.mapOf(TfType.STRING), "Environment variables (OCI images)."),
                Attribute.optional("entrypoint", TfType.STRING, "Entrypoint command line (OCI images)."),
                Attribute.optional("ssh_keys", TfType.listOf(TfType.STRING), "OpenSSH public keys for root."),
                Attribute.optional("owner", TfType.STRING, "proxplane user granted PVEVMUser on the container."),
                Attribute.optional("pool", TfType.STRING, "proxplane_pool the container counts against."),
                Attribute.optional("gpu", TfType.BOOL, "Place on a node marked gpu in the site's node_override."),
                Attribute.optionalComputed("power_state", TfType.STRING, "running (default) or stopped."),
                Attribute.computed("vmid", TfType.NUMBER, "Proxmox VMID, allocated by the registry."),
                Attribute.computed("mac", TfType.STRING, "MAC address of eth0, allocated by the registry."),
                Attribute.computed("ipv4", TfType.STRING, "Static IPv4 address in the site network, allocated by the registry."),
                Attribute.computed("fqdn", TfType.STRING, "<hostname>.<site dns_domain>.")),
                List.of(new NestedBlock("features", new Block(List.of(
                        Attribute.optional("nesting", TfType.BOOL, "Nesting (systemd, Docker inside)."),
                        Attribute.optional("keyctl", TfType.BOOL, "keyctl() system call."),
                        Attribute.optional("fuse", TfType.BOOL, "FUSE mounts.")), List.of(), "LXC features."),
                        NestedBlock.Nesting.SINGLE, 0, 0)),
                "An LXC container converged by the proxplane engine.");
    }

    @Override
    Map<String, TfValue> defaults(TfValue.Obj config) {
        Map<String, TfValue> m = new LinkedHashMap<>();
        m.put("hostname", config.get("name"));
        m.put("cores", TfValue.of(DEFAULTS.cores()));
        m.put("memory_mb", TfValue.of(DEFAULTS.memoryMb()));
        m.put("swap_mb", TfValue.of(DEFAULTS.swapMb()));
        m.put("disk_gb", TfValue.of(DEFAULTS.diskGb()));
        m.put("power_state", Values.choice(DEFAULTS.powerState()));
        return m;
    }

    @Override
    List<String> replaceOn() {
        return List.of("image");
    }

    @Override
    List<AttributePath> replaceAlso(TfValue.Obj prior, TfValue.Obj planned) {
        List<AttributePath> out = new java.util.ArrayList<>();
        TfValue node = planned.get("node"); // unset keeps the prior node (proposed state), so never replaces
        if (!node.isNull() && !node.equals(prior.get("node"))) {
            out.add(AttributePath.of("node"));
        }
        Long before = Values.lng(prior, "disk_gb");
        Long after = Values.lng(planned, "disk_gb");
        if (before != null && after != null && after < before) {
            out.add(AttributePath.of("disk_gb"));
        }
        return out;
    }

    @Override
    TfValue.Obj planComputed(TfValue.Obj prior, TfValue.Obj planned, TfValue.Obj config) {
        TfValue.Obj p = planned;
        String site = Values.str(p, "site");
        boolean hostnameSame = prior != null && p.get("hostname").equals(prior.get("hostname")) && p.get("site").equals(prior.get("site"));
        if (!hostnameSame) {
            p = p.with("fqdn", fqdn(site, Values.str(p, "hostname")));
        }
        return p;
    }

    /** Known at plan when the site is registered already; else decided at apply. */
    private TfValue fqdn(String site, String hostname) {
        if (hostname == null) {
            return TfValue.UNKNOWN;
        }
        return access.registeredSiteDomain(site).<TfValue>map(domain -> TfValue.of(hostname + "." + domain)).orElse(TfValue.UNKNOWN);
    }

    @Override
    Map<String, TfValue> probes() {
        return Map.of("site", TfValue.of("probe"), "pool", TfValue.of("probe"), "owner", TfValue.of("probe"),
                "node", TfValue.of("probe"), "image", TfValue.of("docker.io/library/probe:1"));
    }

    @Override
    ContainerSpec toSpec(TfValue.Obj v, Diagnostics d) {
        ContainerSpec spec = build(v, d);
        if (spec != null) {
            canonical(d, v, "site", spec.site());
            canonical(d, v, "name", spec.name());
            if (!java.util.Objects.equals(Values.str(v, "hostname"), Values.str(v, "name"))) { // else the name's error says it
                canonical(d, v, "hostname", spec.hostname());
            }
            canonical(d, v, "pool", spec.pool());
        }
        return d.hasErrors() ? null : spec;
    }

    private static ContainerSpec build(TfValue.Obj v, Diagnostics d) {
        return PATHS.build(d, () -> {
            TfValue.Obj f = Values.obj(v, "features");
            ContainerSpec.Features features = f == null ? null
                    : new ContainerSpec.Features(Values.bool(f, "nesting"), Values.bool(f, "keyctl"), Values.bool(f, "fuse"));
            return new ContainerSpec(Values.str(v, "site"), Values.str(v, "name"), Values.str(v, "hostname"),
                    Values.str(v, "node"), Values.str(v, "image"), intOr(v, "cores", DEFAULTS.cores()),
                    longOr(v, "memory_mb", DEFAULTS.memoryMb()), longOr(v, "swap_mb", DEFAULTS.swapMb()),
                    longOr(v, "disk_gb", DEFAULTS.diskGb()), Values.stringMap(v, "env"), Values.str(v, "entrypoint"),
                    features, Values.strings(v, "ssh_keys"), Values.str(v, "owner"), Values.str(v, "pool"),
                    Values.bool(v, "gpu"), Values.choice(v, "power_state", ContainerSpec.PowerState.class));
        });
    }

    private static int intOr(TfValue.Obj v, String name, int dflt) {
        Integer n = Values.integer(v, name);
        return n == null ? dflt : n;
    }

    private static long longOr(TfValue.Obj v, String name, long dflt) {
        Long n = Values.lng(v, name);
        return n == null ? dflt : n;
    }

    @Override
    TfValue.Obj converge(Claim claim, ContainerSpec spec, TfValue.Obj planned, Diagnostics d) {
        ContainerResult r;
        try {
            r = access.engine().containers().apply(claim, spec);
        } finally {
            access.changed(spec.site());
        }
        if (!r.replacementRequired().isEmpty()) {
            // Plan marks these as replacements; reaching here means the state was out of date.
            d.error("Container needs replacing", "Proxmox cannot change " + String.join(", ", r.replacementRequired())
                    + " in place; run plan again (it will replace the container).");
            return null;
        }
        if (!r.pendingRestart().isEmpty()) {
            d.add(io.proxplane.terraform.diag.Diagnostic.warning(AttributePath.ROOT, "Restart pending",
                    "Proxmox applies " + String.join(", ", r.pendingRestart()) + " at the next restart of " + spec.name() + "."));
        }
        return withStatus(planned, r.status());
    }

    static TfValue.Obj withStatus(TfValue.Obj state, ContainerStatus s) {
        return state.with("id", TfValue.of(s.site() + "/" + s.name()))
                .with("vmid", Values.num(s.vmid()))
                .with("mac", TfValue.of(s.mac()))
                .with("ipv4", TfValue.of(s.ipv4()))
                .with("node", TfValue.of(s.node()))
                .with("fqdn", TfValue.of(s.fqdn()));
    }

    @Override
    void remove(Claim claim, TfValue.Obj prior, Diagnostics d) {
        String site = Values.str(prior, "site");
        try {
            access.engine().containers().delete(claim, site, Values.str(prior, "name"));
        } finally {
            access.changed(site);
        }
    }

    @Override
    TfValue refresh(TfValue.Obj current, Diagnostics d) {
        String site = Values.str(current, "site");
        String name = Values.str(current, "name");
        SiteObservation obs = access.observe(site);
        ContainerStatus s = obs.containers().stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
        if (s == null) {
            return TfValue.NULL; // registry row gone: the plan creates it again
        }
        if (s.state().equals("missing")) {
            // The guest is gone but the registry row (claimed by this resource) is not: show it as
            // missing, so the plan is an update by the holder that creates the guest again at its
            // addresses. Reporting it gone would drop the private state with the claim, and the
            // plan's create would then be refused because the object still exists.
            return current.with("power_state", TfValue.of("missing"));
        }
        TfValue.Obj state = current;
        if (state.get("image").isNull()) {
            Optional<ContainerSpec> spec = access.engine().containers().storedSpec(site, name);
            if (spec.isEmpty()) {
                d.error("Cannot import " + site + "/" + name, "The container was not created through the proxplane engine, so its full spec is unknown.");
                return current;
            }
            state = fromSpec(state, spec.get());
        }
        state = withStatus(state, s);
        if (s.state().equals("running") || s.state().equals("stopped")) {
            state = state.with("power_state", TfValue.of(s.state()));
        }
        String object = "container " + site + "/" + name;
        for (Drift drift : obs.drift()) {
            if (!drift.object().equals(object)) {
                continue;
            }
            switch (drift.field()) {
                case "cores" -> state = state.with("cores", TfValue.of(Long.parseLong(drift.observed())));
                case "memoryMb" -> state = state.with("memory_mb", TfValue.of(Long.parseLong(drift.observed())));
                case "node" -> state = state.with("node", TfValue.of(drift.observed()));
                default -> { }
            }
        }
        return state;
    }

    /** An imported container: every attribute from the spec last applied, optional ones left null when unset. */
    static TfValue.Obj fromSpec(TfValue.Obj state, ContainerSpec s) {
        ContainerSpec.Features f = s.features();
        TfValue features = f.equals(ContainerSpec.Features.NONE) ? TfValue.NULL : TfValue.obj(Map.of(
                "nesting", Values.unsetIfFalse(f.nesting()),
                "keyctl", Values.unsetIfFalse(f.keyctl()),
                "fuse", Values.unsetIfFalse(f.fuse())));
        return state.with("hostname", TfValue.of(s.hostname()))
                .with("image", TfValue.of(s.image()))
                .with("cores", TfValue.of(s.cores()))
                .with("memory_mb", TfValue.of(s.memoryMb()))
                .with("swap_mb", TfValue.of(s.swapMb()))
                .with("disk_gb", TfValue.of(s.diskGb()))
                .with("env", Values.unsetIfEmpty(s.env()))
                .with("entrypoint", TfValue.of(s.entrypoint()))
                .with("ssh_keys", Values.unsetIfEmpty(s.sshKeys()))
                .with("owner", TfValue.of(s.owner()))
                .with("pool", TfValue.of(s.pool()))
                .with("gpu", Values.unsetIfFalse(s.gpu()))
                .with("power_state", Values.choice(s.powerState()))
                .with("features", features);
    }
}
