package io.proxplane.core.engine;

import io.proxplane.core.engine.spec.ExternalDomainSpec;
import io.proxplane.core.registry.ExternalDomain;
import io.proxplane.core.registry.Claim;

import java.util.List;
import java.util.Optional;

/** External domains live in the registry only; the edge agent renders them. */
public final class ExternalDomainConverger {
    private final EngineContext ctx;

    ExternalDomainConverger(EngineContext ctx) {
        this.ctx = ctx;
    }

    /**
     * @param acme         the certificate comes from ACME (obtained by the edge agents)
     * @param certificates ACME certificates as each edge agent reports them (issuer, validity, last error)
     */
    public record Status(long id, String name, String site, String authServerUrl, String managedBy, boolean acme,
            List<io.proxplane.core.registry.EdgeCertificateRepository.EdgeCertificate> certificates) {
        public Status {
            certificates = List.copyOf(certificates);
        }

        /** ACME and no agent serves a certificate yet, or the latest attempt failed: worth looking again soon. */
        public boolean certificatePending() {
            return acme && (certificates.isEmpty() || certificates.stream().anyMatch(c -> c.notAfter() == null || c.lastError() != null));
        }
    }

    public record Result(Status status, List<Action> actions) {}

    /** {@link #apply(Claim, ExternalDomainSpec)} for the manager as a whole ({@link Claim#asManager}: no resource claim checked or set). */
    public Result apply(String manager, ExternalDomainSpec spec) {
        return EngineErrors.guard(() -> applyUnguarded(Claim.asManager(manager), spec));
    }

    /**
     * Creates or updates as {@code claim} may: another manager's object is refused (OWNERSHIP),
     * another resource's (or, for a create, any existing one) with CONFLICT naming its holder, before
     * any change.
     */
    public Result apply(Claim claim, ExternalDomainSpec spec) {
        return EngineErrors.guard(() -> applyUnguarded(claim, spec));
    }

    private Result applyUnguarded(Claim claim, ExternalDomainSpec spec) {
        String manager = claim.manager();
        Optional<ExternalDomain> existing = ctx.registry.externalDomains().findByName(spec.name());
        existing.ifPresent(d -> EngineContext.requireClaim("external domain", spec.name(), d.meta(), claim));
        Long siteId = spec.site() == null ? null : ctx.site(spec.site()).id();
        var tls = new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(new java.util.TreeMap<>(spec.tlsSource()));
        var wanted = new io.proxplane.core.registry.ExternalDomainSpec(spec.name(), siteId,
                (com.fasterxml.jackson.databind.JsonNode) tls, spec.authServerUrl(), forwardAuthJson(spec.forwardAuth()));
        if (existing.isPresent() && existing.get().spec().equals(wanted) && !claim.claims(existing.get().meta().claimedBy())) {
            return new Result(status(existing.get(), spec.site()), List.of());
        }
        ExternalDomain saved = EngineContext.owned(() -> ctx.registry.externalDomains().upsert(claim, wanted));
        return new Result(status(saved, spec.site()), List.of(new Action(existing.isEmpty() ? "register" : "update",
                "external domain " + spec.name(), null)));
    }

    /** Only the settings given, in a stable order, so an unchanged spec compares equal to its row. */
    static com.fasterxml.jackson.databind.JsonNode forwardAuthJson(io.proxplane.core.edge.ForwardAuth.Settings s) {
        var node = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        if (s == null) {
            return node;
        }
        if (s.preset() != null) node.put("preset", s.preset());
        if (s.verifyUrl() != null) node.put("verifyUrl", s.verifyUrl());
        if (s.signInUrl() != null) node.put("signInUrl", s.signInUrl());
        if (s.redirectParameter() != null) node.put("redirectParameter", s.redirectParameter());
        if (s.identityHeaders() != null) s.identityHeaders().forEach(node.putArray("identityHeaders")::add);
        if (s.cacheAllowSeconds() != null) node.put("cacheAllowSeconds", s.cacheAllowSeconds());
        if (s.cacheDenySeconds() != null) node.put("cacheDenySeconds", s.cacheDenySeconds());
        return node;
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
        Optional<ExternalDomain> existing = ctx.registry.externalDomains().findByName(name);
        if (existing.isEmpty()) return new Result(null, List.of());
        EngineContext.requireDeleteClaim("external domain", name, existing.get().meta(), claim);
        try {
            ctx.registry.externalDomains().delete(claim, existing.get().id());
        } catch (io.proxplane.core.registry.ConstraintViolationException e) {
            throw new EngineException(EngineException.Kind.IN_USE, "external domain '" + name + "' is used by services",
                    "delete the HTTP services under " + name + " first", e);
        }
        return new Result(null, List.of(new Action("unregister", "external domain " + name, null)));
    }

    public Optional<Status> observe(String name) {
        return EngineErrors.guard(() -> observeUnguarded(name));
    }

    private Optional<Status> observeUnguarded(String name) {
        return ctx.registry.externalDomains().findByName(name).map(d -> status(d, null));
    }

    private Status status(ExternalDomain d, String siteName) {
        String site = siteName != null ? siteName : d.spec().siteId() == null ? null
                : ctx.registry.sites().get(d.spec().siteId()).map(s -> s.name()).orElse(null);
        boolean acme = d.spec().tlsSource().has("acmeEmail");
        return new Status(d.id(), d.spec().name(), site, d.spec().authServerUrl(), d.meta().managedBy(), acme,
                acme ? ctx.registry.edgeCertificates().listByDomain(d.id()) : List.of());
    }
}
