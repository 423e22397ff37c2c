package io.proxplane.terraform.resources;

import io.proxplane.core.engine.References;

import io.proxplane.core.registry.Claim;
import io.proxplane.core.engine.ExternalDomainConverger;
import io.proxplane.core.engine.spec.ExternalDomainSpec;
import io.proxplane.terraform.diag.Diagnostics;
import io.proxplane.terraform.schema.Attribute;
import io.proxplane.terraform.schema.Block;
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
                Attribute.optional("tls_source", TfType.mapOf(TfType.STRING), "Where the edge finds the certificate: references "
                        + "such as certificateFile/keyFile or acmeEmail, never PEM content."),
                Attribute.optional("auth_server_url", TfType.STRING, "Login service for services with auth_required.")),
                List.of(), "A public domain under which HTTP services get host names.");
    }

    @Override
    ExternalDomainSpec toSpec(TfValue.Obj v, Diagnostics d) {
        ExternalDomainSpec spec = PATHS.build(d, () -> new ExternalDomainSpec(Values.str(v, "name"),
                Values.str(v, "site"), Values.stringMap(v, "tls_source"), Values.str(v, "auth_server_url")));
        if (spec != null) {
            canonical(d, v, "name", spec.name());
        }
        return d.hasErrors() ? null : spec;
    }

    @Override
    TfValue.Obj converge(Claim claim, ExternalDomainSpec spec, TfValue.Obj planned, Diagnostics d) {
        access.engine().externalDomains().apply(claim, spec);
        return planned.with("id", planned.get("name"));
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
        TfValue.Obj state = current.with("id", TfValue.of(name));
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
