package io.proxplane.terraform.resources;

import io.proxplane.core.engine.References;

import io.proxplane.core.registry.Claim;
import io.proxplane.core.engine.spec.PoolSpec;
import io.proxplane.core.registry.AclGrant;
import io.proxplane.core.registry.Pool;
import io.proxplane.terraform.diag.AttributePath;
import io.proxplane.terraform.diag.Diagnostics;
import io.proxplane.terraform.schema.Attribute;
import io.proxplane.terraform.schema.Block;
import io.proxplane.terraform.schema.NestedBlock;
import io.proxplane.terraform.value.TfType;
import io.proxplane.terraform.value.TfValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code proxplane_pool}: one {@link PoolSpec}; quotas are checked by the engine before any Proxmox call. */
final class PoolResource extends EngineResource<PoolSpec> {
    static final SpecPaths PATHS = SpecPaths.of(Map.of("aclGrants", "acl_grant"));

    @Override
    SpecPaths paths() {
        return PATHS;
    }

    PoolResource(EngineAccess access) {
        super(access, "proxplane_pool", Identity.of("the pool name, e.g. web", "name"));
    }

    @Override
    Optional<References.Reference> declares(TfValue.Obj planned) {
        return Optional.ofNullable(Values.str(planned, "name")).map(n -> new References.Reference("name", References.Kind.POOL, n));
    }

    @Override
    Block block() {
        return new Block(List.of(
                Attribute.computed("id", TfType.STRING, "The pool name; the import id."),
                Attribute.required("name", TfType.STRING, "Pool name (DNS label), also the Proxmox pool id.")),
                List.of(new NestedBlock("quotas", new Block(List.of(
                                Attribute.optional("max_containers", TfType.NUMBER, "Containers at most; unset = unlimited."),
                                Attribute.optional("max_cores", TfType.NUMBER, "Sum of cores at most."),
                                Attribute.optional("max_memory_mb", TfType.NUMBER, "Sum of memory_mb at most."),
                                Attribute.optional("max_disk_gb", TfType.NUMBER, "Sum of disk_gb at most.")),
                                List.of(), "Limits over the pool's containers."), NestedBlock.Nesting.SINGLE, 0, 0),
                        new NestedBlock("acl_grant", new Block(List.of(
                                Attribute.optional("group", TfType.STRING, "proxplane group granted the role (exactly one of group, user)."),
                                Attribute.optional("user", TfType.STRING, "proxplane user granted the role."),
                                Attribute.required("role", TfType.STRING, "Proxmox role, e.g. PVEVMUser.")),
                                List.of(), "A Proxmox role on /pool/<name>."), NestedBlock.Nesting.LIST, 0, 0)),
                "A resource pool with quotas and role grants, mirrored into every Proxmox cluster.");
    }

    @Override
    PoolSpec toSpec(TfValue.Obj v, Diagnostics d) {
        TfValue.Obj q = Values.obj(v, "quotas");
        PoolSpec.Quotas quotas = q == null ? null : SpecPaths.of(Map.of("quotas", "")).under(AttributePath.of("quotas")).build(d, () ->
                new PoolSpec.Quotas(Values.integer(q, "max_containers"), Values.integer(q, "max_cores"),
                        Values.lng(q, "max_memory_mb"), Values.lng(q, "max_disk_gb")));
        List<PoolSpec.AclGrant> grants = new ArrayList<>();
        List<TfValue.Obj> gs = Values.objects(v, "acl_grant");
        for (int i = 0; i < gs.size(); i++) {
            TfValue.Obj g = gs.get(i);
            grants.add(SpecPaths.of(Map.of("aclGrants", "")).under(AttributePath.of("acl_grant").index(i)).build(d, () ->
                    new PoolSpec.AclGrant(Values.str(g, "group"), Values.str(g, "user"), Values.str(g, "role"))));
        }
        if (d.hasErrors()) {
            return null;
        }
        PoolSpec spec = PATHS.build(d, () -> new PoolSpec(Values.str(v, "name"), quotas, grants));
        if (spec != null) {
            canonical(d, v, "name", spec.name());
        }
        return d.hasErrors() ? null : spec;
    }

    @Override
    TfValue.Obj converge(Claim claim, PoolSpec spec, TfValue.Obj planned, Diagnostics d) {
        access.engine().pools().apply(claim, spec);
        return planned.with("id", TfValue.of(spec.name()));
    }

    @Override
    void remove(Claim claim, TfValue.Obj prior, Diagnostics d) {
        access.engine().pools().delete(claim, Values.str(prior, "name"));
    }

    @Override
    TfValue refresh(TfValue.Obj current, Diagnostics d) {
        String name = Values.str(current, "name");
        Optional<Pool> row = access.engine().registry().pools().findByName(name);
        if (row.isEmpty()) {
            return TfValue.NULL;
        }
        if (!current.get("id").isNull() && !current.get("acl_grant").isNull()) {
            return current;
        }
        var s = row.get().spec();
        TfValue quotas = s.maxContainers() == null && s.maxCores() == null && s.maxMemoryMb() == null && s.maxDiskGb() == null
                ? TfValue.NULL : TfValue.obj(Map.of("max_containers", Values.num(s.maxContainers()), "max_cores", Values.num(s.maxCores()),
                "max_memory_mb", Values.num(s.maxMemoryMb()), "max_disk_gb", Values.num(s.maxDiskGb())));
        List<TfValue> grants = new ArrayList<>();
        for (AclGrant g : s.aclGrants()) {
            Map<String, TfValue> m = new LinkedHashMap<>();
            m.put("group", TfValue.of(g.group()));
            m.put("user", TfValue.of(g.user()));
            m.put("role", TfValue.of(g.role()));
            grants.add(TfValue.obj(m));
        }
        return current.with("id", TfValue.of(name)).with("quotas", quotas).with("acl_grant", TfValue.seq(grants));
    }
}
