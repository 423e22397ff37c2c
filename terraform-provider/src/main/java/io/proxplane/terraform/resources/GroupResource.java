package io.proxplane.terraform.resources;

import io.proxplane.core.engine.References;

import io.proxplane.core.registry.Claim;
import io.proxplane.core.engine.GroupConverger;
import io.proxplane.core.engine.spec.GroupSpec;
import io.proxplane.terraform.diag.Diagnostics;
import io.proxplane.terraform.schema.Attribute;
import io.proxplane.terraform.schema.Block;
import io.proxplane.terraform.value.TfType;
import io.proxplane.terraform.value.TfValue;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code proxplane_group}: one {@link GroupSpec}; the gid is allocated by the registry unless given. */
final class GroupResource extends EngineResource<GroupSpec> {

    GroupResource(EngineAccess access) {
        super(access, "proxplane_group", Identity.of("the group name, e.g. developers", "name"));
    }

    @Override
    Optional<References.Reference> declares(TfValue.Obj planned) {
        return Optional.ofNullable(Values.str(planned, "name")).map(n -> new References.Reference("name", References.Kind.GROUP, n));
    }

    @Override
    List<References.Reference> references(TfValue.Obj config) {
        return References.Reference.each("members", References.Kind.USER, Values.strings(config, "members"));
    }

    @Override
    Block block() {
        return new Block(List.of(
                Attribute.computed("id", TfType.STRING, "The group name; the import id."),
                Attribute.required("name", TfType.STRING, "POSIX group name."),
                Attribute.optionalComputed("gid", TfType.NUMBER, "Group id (1000 and up); default: the lowest free one, kept from then on."),
                Attribute.optional("members", TfType.listOf(TfType.STRING), "Usernames (declare a membership here or in the user's extra_groups, "
                        + "not both); unset leaves memberships as they are."),
                Attribute.optional("admin", TfType.BOOL, "Members administer proxplane.")),
                List.of(), "A directory group (LDAP gateway, Proxmox realm when a pool grants to it).");
    }

    @Override
    GroupSpec toSpec(TfValue.Obj v, Diagnostics d) {
        return SpecPaths.of(Map.of()).build(d, () -> new GroupSpec(Values.str(v, "name"), Values.integer(v, "gid"),
                Values.strings(v, "members"), Values.bool(v, "admin")));
    }

    @Override
    TfValue.Obj converge(Claim claim, GroupSpec spec, TfValue.Obj planned, Diagnostics d) {
        GroupSpec wanted = spec;
        if (planned.get("members").isNull()) {
            // Unset = memberships are not managed here. The engine syncs a manager's memberships
            // from whichever side is applied, and users declare theirs in extra_groups under the
            // same manager: passing [] would drop those.
            List<String> current = access.engine().groups().observe(spec.name()).map(GroupConverger.Status::members).orElse(List.of());
            wanted = new GroupSpec(spec.name(), spec.gid(), current, spec.admin());
        }
        GroupConverger.Result r = access.engine().groups().apply(claim, wanted);
        return planned.with("id", TfValue.of(spec.name())).with("gid", TfValue.of(r.status().gid()));
    }

    @Override
    void remove(Claim claim, TfValue.Obj prior, Diagnostics d) {
        access.engine().groups().delete(claim, Values.str(prior, "name"));
    }

    @Override
    TfValue refresh(TfValue.Obj current, Diagnostics d) {
        Optional<GroupConverger.Status> s = access.engine().groups().observe(Values.str(current, "name"));
        if (s.isEmpty()) {
            return TfValue.NULL;
        }
        TfValue.Obj state = current.with("id", TfValue.of(s.get().name())).with("gid", TfValue.of(s.get().gid()));
        if (current.get("id").isNull()) { // import; memberships stay where they are declared (see converge)
            state = state.with("admin", Values.unsetIfFalse(s.get().admin()));
        }
        return state;
    }
}
