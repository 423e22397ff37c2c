package io.proxplane.terraform.resources;

import io.proxplane.terraform.diag.AttributePath;

import io.proxplane.core.engine.References;

import io.proxplane.core.registry.Claim;
import io.proxplane.core.engine.UserConverger;
import io.proxplane.core.engine.spec.UserSpec;
import io.proxplane.core.registry.User;
import io.proxplane.terraform.diag.Diagnostics;
import io.proxplane.terraform.schema.Attribute;
import io.proxplane.terraform.schema.Block;
import io.proxplane.terraform.value.TfType;
import io.proxplane.terraform.value.TfValue;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code proxplane_user}: one {@link UserSpec}. The password is sensitive and the engine stores only
 * its argon2id hash; Terraform keeps the clear text in its (sensitive) state to notice a change.
 */
final class UserResource extends EngineResource<UserSpec> {
    static final SpecPaths PATHS = SpecPaths.of(Map.of("twoFactorMode", "two_factor_mode"));

    @Override
    SpecPaths paths() {
        return PATHS;
    }

    UserResource(EngineAccess access) {
        super(access, "proxplane_user", Identity.of("the username, e.g. alice", "username"));
    }

    @Override
    Optional<References.Reference> declares(TfValue.Obj planned) {
        return Optional.ofNullable(Values.str(planned, "username")).map(n -> new References.Reference("username", References.Kind.USER, n));
    }

    @Override
    List<References.Reference> references(TfValue.Obj config) {
        List<References.Reference> out = new java.util.ArrayList<>(
                References.Reference.each("extraGroups", References.Kind.GROUP, Values.strings(config, "extra_groups")));
        out.add(new References.Reference("primaryGroup", References.Kind.GROUP, Values.str(config, "primary_group")));
        return out;
    }

    @Override
    Block block() {
        return new Block(List.of(
                Attribute.computed("id", TfType.STRING, "The username; the import id."),
                Attribute.required("username", TfType.STRING, "POSIX user name."),
                Attribute.optional("given_name", TfType.STRING, "Given name."),
                Attribute.optional("surname", TfType.STRING, "Surname."),
                Attribute.optional("mail", TfType.STRING, "E-mail address."),
                Attribute.optionalComputed("shell", TfType.STRING, "Login shell (default /bin/bash)."),
                Attribute.optional("ssh_keys", TfType.listOf(TfType.STRING), "OpenSSH public keys."),
                Attribute.optional("password", TfType.STRING, "Password, 8-1024 characters; stored by proxplane as an argon2id hash only. "
                        + "Unset keeps the current one. Terraform keeps it in its state: prefer password_wo.").asSensitive(),
                Attribute.optional("password_wo", TfType.STRING, "Write-only password (Terraform 1.11 or later; may come from an"
                        + " ephemeral variable): never stored in plan or state. Set when the user is created and whenever"
                        + " the resource is applied; change password_wo_version to apply a new one. Not together with password.")
                        .asSensitive().asWriteOnly(),
                Attribute.optional("password_wo_version", TfType.NUMBER, "Any number; changing it applies password_wo again."),
                Attribute.optionalComputed("status", TfType.STRING, "active (default) or suspended."),
                Attribute.optionalComputed("two_factor_mode", TfType.STRING, "none (default) or push."),
                Attribute.optional("extra_groups", TfType.listOf(TfType.STRING), "proxplane groups the user is a member of; "
                        + "unset leaves memberships as they are (e.g. declared in the group's members)."),
                Attribute.optional("primary_group", TfType.STRING, "Group whose gid is the user's primary gid (the group "
                        + "owning its files); unset: the user's own private group, named after it."),
                Attribute.computed("uid", TfType.NUMBER, "User id, allocated by the registry."),
                Attribute.computed("gid", TfType.NUMBER, "Primary gid: primary_group's gid, else the private group's.")),
                List.of(), "A directory user (LDAP gateway, Proxmox realm when a grant needs it).");
    }

    @Override
    Map<String, TfValue> defaults(TfValue.Obj config) {
        return Map.of("shell", TfValue.of("/bin/bash"), "status", TfValue.of("active"), "two_factor_mode", TfValue.of("none"));
    }

    @Override
    TfValue.Obj planComputed(TfValue.Obj prior, TfValue.Obj planned, TfValue.Obj config) {
        // The primary gid follows primary_group: known only after apply when that changes.
        if (prior != null && (prior.get("gid").isNull() || !prior.get("primary_group").equals(planned.get("primary_group")))) {
            return planned.with("gid", TfValue.UNKNOWN);
        }
        return planned;
    }

    @Override
    UserSpec toSpec(TfValue.Obj v, Diagnostics d) {
        return PATHS.build(d, () -> new UserSpec(Values.str(v, "username"),
                Values.str(v, "given_name"), Values.str(v, "surname"), Values.str(v, "mail"), Values.str(v, "shell"),
                Values.strings(v, "ssh_keys"), password(v), Values.choice(v, "status", UserSpec.Status.class),
                Values.choice(v, "two_factor_mode", UserSpec.TwoFactorMode.class), Values.strings(v, "extra_groups"),
                Values.str(v, "primary_group")));
    }

    /** password or password_wo, whichever is set (both is refused at validate). */
    private static String password(TfValue.Obj v) {
        String wo = Values.str(v, "password_wo");
        return wo != null ? wo : Values.str(v, "password");
    }

    @Override
    public void validate(TfValue.Obj config, Diagnostics d) {
        if (!config.get("password").isNull() && !config.get("password_wo").isNull()) {
            d.error(AttributePath.of("password_wo"), "Conflicting password attributes",
                    "Set password or password_wo, not both (password_wo keeps the password out of the state).");
        }
        super.validate(config, d);
    }

    @Override
    TfValue.Obj converge(Claim claim, UserSpec spec, TfValue.Obj planned, Diagnostics d) {
        UserSpec wanted = spec;
        if (planned.get("extra_groups").isNull()) {
            // Unset = memberships are managed elsewhere (a group's members, same manager): keep them.
            List<String> current = access.engine().users().observe(spec.username()).map(UserConverger.Status::groups).orElse(List.of());
            wanted = new UserSpec(spec.username(), spec.givenName(), spec.surname(), spec.mail(), spec.shell(), spec.sshKeys(),
                    spec.password(), spec.status(), spec.twoFactorMode(), current, spec.primaryGroup());
        }
        UserConverger.Result r = access.engine().users().apply(claim, wanted);
        return planned.with("id", TfValue.of(spec.username())).with("uid", TfValue.of(r.status().uid()))
                .with("gid", TfValue.of(r.status().gid()));
    }

    @Override
    void remove(Claim claim, TfValue.Obj prior, Diagnostics d) {
        access.engine().users().delete(claim, Values.str(prior, "username"));
    }

    @Override
    TfValue refresh(TfValue.Obj current, Diagnostics d) {
        String username = Values.str(current, "username");
        Optional<User> row = access.engine().registry().users().findByUsername(username);
        if (row.isEmpty()) {
            return TfValue.NULL;
        }
        var s = row.get().spec();
        var observed = access.engine().users().observe(username).orElseThrow();
        TfValue.Obj state = current.with("id", TfValue.of(username)).with("uid", TfValue.of(row.get().uid()))
                .with("gid", TfValue.of(observed.gid()))
                // the primary group decides file ownership: a change outside Terraform shows in the plan
                .with("primary_group", TfValue.of(observed.primaryGroup()))
                // status and 2FA can be changed by an administrator outside Terraform: show it
                .with("status", TfValue.of(s.status().toLowerCase(Locale.ROOT)))
                .with("two_factor_mode", TfValue.of(s.twofaMode().toLowerCase(Locale.ROOT)));
        if (current.get("id").isNull()) { // import
            state = state.with("given_name", TfValue.of(s.givenName())).with("surname", TfValue.of(s.surname()))
                    .with("mail", TfValue.of(s.mail())).with("shell", TfValue.of(s.shell()))
                    .with("ssh_keys", Values.unsetIfEmpty(s.sshKeys()));
        }
        return state;
    }
}
