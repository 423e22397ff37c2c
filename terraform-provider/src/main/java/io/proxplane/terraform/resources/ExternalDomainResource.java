package io.proxplane.terraform.resources;

import io.proxplane.core.engine.References;

import io.proxplane.core.registry.Claim;
import io.proxplane.core.engine.ExternalDomainConverger;
import io.proxplane.core.engine.spec.ExternalDomainSpec;
import io.proxplane.terraform.diag.Diagnostics;
import io.proxplane.terraform.schema.Attribute;
import io.proxplane.core.edge.ForwardAuth;
import io.proxplane.terraform.schema.Block;
import io.proxplane.terraform.schema.NestedBlock;
import io.proxplane.terraform.value.TfType;
import io.proxplane.terraform.value.TfValue;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code proxplane_external_domain}: one {@link ExternalDomainSpec}; TLS material is referenced, never held. */
final class ExternalDomainResource extends EngineResource<ExternalDomainSpec> {
    static final SpecPaths PATHS = SpecPaths.of(Map.of(), "tls_source");

    @Override
    SpecPaths paths() {
        return PATHS;
    }

    ExternalDomainResource(EngineAccess access) {
        super(access, "proxplane_external_domain", Identity.of("the domain name, e.g. apps.example.com", "name"));
    }

    @Override
    Optional<References.Reference> declares(TfValue.Obj planned) {
        return Optional.ofNullable(Values.str(planned, "name")).map(n -> new References.Reference("name", References.Kind.EXTERNAL_DOMAIN, n));
    }

    @Override
    Block block() {
        return new Block(List.of(
                Attribute.computed("id", TfType.STRING, "The domain name; the import id."),
                Attribute.required("name", TfType.STRING, "Public DNS apex, e.g. apps.example.com."),
                Attribute.optional("site", TfType.STRING, "Default site of the domain."),
                Attribute.optional("tls_source", TfType.mapOf(TfType.STRING), "Where the edge gets the certificate: certificateFile "
                        + "and keyFile (paths on the edge host), or acmeEmail (the edge obtains and renews it by ACME; optional "
                        + "acmeDirectoryUrl, acmeEabKeyId with acmeEabHmacKeyFile); never PEM content."),
                Attribute.optional("auth_server_url", TfType.STRING, "Auth server for services with auth_required (base URL)."),
                Attribute.computed("certificate_issuer", TfType.STRING, "ACME: issuer of the certificate an edge agent serves "
                        + "(null until issued)."),
                Attribute.computed("certificate_not_after", TfType.STRING, "ACME: end of validity (RFC 3339) of that certificate."),
                Attribute.computed("certificate_error", TfType.STRING, "ACME: the latest failed attempt of an edge agent, if any.")),
                List.of(new NestedBlock("forward_auth", new Block(List.of(
                        Attribute.optional("preset", TfType.STRING, "Layout of the auth server: proxplane (default), oauth2-proxy, "
                                + "authelia or authentik."),
                        Attribute.optional("verify_url", TfType.STRING, "Absolute check URL instead of the preset's path."),
                        Attribute.optional("sign_in_url", TfType.STRING, "Absolute sign-in URL instead of the preset's."),
                        Attribute.optional("redirect_parameter", TfType.STRING, "Parameter carrying the original URL."),
                        Attribute.optional("identity_headers", TfType.listOf(TfType.STRING), "Auth answer headers copied to the "
                                + "service, instead of the preset's."),
                        Attribute.optional("cache_allow_seconds", TfType.NUMBER, "Seconds an allow answer is reused (default 300, 0 = never)."),
                        Attribute.optional("cache_deny_seconds", TfType.NUMBER, "Seconds a deny answer is reused (default 30, 0 = never).")),
                        List.of(), "How the edge asks auth_server_url whether a request may pass."), NestedBlock.Nesting.SINGLE, 0, 0)),
                "A public domain under which HTTP services get host names.");
    }

    @Override
    ExternalDomainSpec toSpec(TfValue.Obj v, Diagnostics d) {
        ExternalDomainSpec spec = PATHS.build(d, () -> new ExternalDomainSpec(Values.str(v, "name"),
                Values.str(v, "site"), Values.stringMap(v, "tls_source"), Values.str(v, "auth_server_url"), forwardAuth(v)));
        if (spec != null) {
            canonical(d, v, "name", spec.name());
        }
        return d.hasErrors() ? null : spec;
    }

    private static ForwardAuth.Settings forwardAuth(TfValue.Obj v) {
        if (v.get("forward_auth").isNull()) {
            return null;
        }
        TfValue.Obj f = Values.obj(v, "forward_auth");
        return new ForwardAuth.Settings(Values.str(f, "preset"), Values.str(f, "verify_url"), Values.str(f, "sign_in_url"),
                Values.str(f, "redirect_parameter"), f.get("identity_headers").isNull() ? null : Values.strings(f, "identity_headers"),
                Values.integer(f, "cache_allow_seconds"), Values.integer(f, "cache_deny_seconds"));
    }

    @Override
    TfValue.Obj planComputed(TfValue.Obj prior, TfValue.Obj planned, TfValue.Obj config) {
        // the certificate is obtained by the edge after apply, when the TLS source asks for ACME
        boolean same = prior != null && prior.get("tls_source").equals(planned.get("tls_source"));
        if (same) {
            return planned;
        }
        boolean acme = planned.get("tls_source").isWhollyKnown() && !planned.get("tls_source").isNull()
                && Values.stringMap(planned, "tls_source").containsKey("acmeEmail");
        TfValue value = acme || !planned.get("tls_source").isWhollyKnown() ? TfValue.UNKNOWN : TfValue.NULL;
        return planned.with("certificate_issuer", value).with("certificate_not_after", value).with("certificate_error", value);
    }

    static TfValue.Obj withCertificate(TfValue.Obj state, ExternalDomainConverger.Status s) {
        var issued = s.certificates().stream().filter(c -> c.notAfter() != null).findFirst();
        var failed = s.certificates().stream().filter(c -> c.lastError() != null).findFirst();
        return state.with("certificate_issuer", TfValue.of(issued.map(c -> c.issuer()).orElse(null)))
                .with("certificate_not_after", TfValue.of(issued.map(c -> c.notAfter().toString()).orElse(null)))
                .with("certificate_error", TfValue.of(failed.map(c -> c.lastError()).orElse(null)));
    }

    @Override
    TfValue.Obj converge(Claim claim, ExternalDomainSpec spec, TfValue.Obj planned, Diagnostics d) {
        var result = access.engine().externalDomains().apply(claim, spec);
        TfValue.Obj state = planned.with("id", planned.get("name"));
        // apply must return what the plan promised: known values stay (refresh reads newer ones)
        return planned.get("certificate_issuer").isWhollyKnown() ? state : withCertificate(state, result.status());
    }

    @Override
    void remove(Claim claim, TfValue.Obj prior, Diagnostics d) {
        access.engine().externalDomains().delete(claim, Values.str(prior, "name"));
    }

    @Override
    TfValue refresh(TfValue.Obj current, Diagnostics d) {
        String name = Values.str(current, "name");
        Optional<ExternalDomainConverger.Status> s = access.engine().externalDomains().observe(name);
        if (s.isEmpty()) {
            return TfValue.NULL;
        }
        TfValue.Obj state = withCertificate(current.with("id", TfValue.of(name)), s.get());
        if (current.get("id").isNull()) { // import
            Map<String, String> tls = new java.util.TreeMap<>();
            access.engine().registry().externalDomains().findByName(name)
                    .ifPresent(row -> row.spec().tlsSource().properties().forEach(e -> tls.put(e.getKey(), e.getValue().asText())));
            state = state.with("site", TfValue.of(s.get().site())).with("auth_server_url", TfValue.of(s.get().authServerUrl()))
                    .with("tls_source", Values.unsetIfEmpty(tls));
        }
        return state;
    }
}
