package io.proxplane.terraform.resources;

import io.proxplane.core.engine.ServiceAccountConverger;
import io.proxplane.core.engine.spec.ServiceAccountSpec;
import io.proxplane.core.registry.Claim;
import io.proxplane.terraform.diag.Diagnostics;
import io.proxplane.terraform.schema.Attribute;
import io.proxplane.terraform.schema.Block;
import io.proxplane.terraform.value.TfType;
import io.proxplane.terraform.value.TfValue;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code proxplane_directory_service_account}: one {@link ServiceAccountSpec}, the identity SSSD or
 * nslcd in a container binds as. The password is sensitive and the engine stores only its argon2id
 * hash; Terraform keeps the clear text in its (sensitive) state to notice a change.
 */
final class DirectoryServiceAccountResource extends EngineResource<ServiceAccountSpec> {

    DirectoryServiceAccountResource(EngineAccess access) {
        super(access, "proxplane_directory_service_account", Identity.of("the account name, e.g. ct-104", "name"));
    }

    @Override
    Block block() {
        return new Block(List.of(
                Attribute.computed("id", TfType.STRING, "The account name; the import id."),
                Attribute.required("name", TfType.STRING, "Account name (POSIX name): the LDAP gateway serves it as "
                        + "uid=<name>,ou=services,<base DN>."),
                Attribute.optional("description", TfType.STRING, "What the account is for."),
                Attribute.required("password", TfType.STRING, "Password, 16-1024 characters, written into sssd.conf "
                        + "(ldap_default_authtok) or nslcd.conf (bindpw); stored by proxplane as an argon2id hash only.")
                        .asSensitive()),
                List.of(), "A bind identity for SSSD or nslcd in containers (LDAP gateway lookups).");
    }

    @Override
    ServiceAccountSpec toSpec(TfValue.Obj v, Diagnostics d) {
        return SpecPaths.of(Map.of()).build(d, () -> new ServiceAccountSpec(Values.str(v, "name"), Values.str(v, "description"),
                Values.str(v, "password")));
    }

    @Override
    TfValue.Obj converge(Claim claim, ServiceAccountSpec spec, TfValue.Obj planned, Diagnostics d) {
        ServiceAccountConverger.Result r = access.engine().serviceAccounts().apply(claim, spec);
        return planned.with("id", TfValue.of(r.status().name()));
    }

    @Override
    void remove(Claim claim, TfValue.Obj prior, Diagnostics d) {
        access.engine().serviceAccounts().delete(claim, Values.str(prior, "name"));
    }

    @Override
    TfValue refresh(TfValue.Obj current, Diagnostics d) {
        Optional<ServiceAccountConverger.Status> s = access.engine().serviceAccounts().observe(Values.str(current, "name"));
        if (s.isEmpty()) {
            return TfValue.NULL;
        }
        TfValue.Obj state = current.with("id", TfValue.of(s.get().name()));
        if (current.get("id").isNull()) { // import: the password cannot be read back (only its hash is stored)
            state = state.with("description", TfValue.of(s.get().description()));
        }
        return state;
    }
}
