package io.proxplane.core.engine;

import io.proxplane.core.engine.spec.ExternalDomainSpec;
import io.proxplane.core.registry.ExternalDomain;
import io.proxplane.core.registry.Managers;

import java.util.List;
import java.util.Optional;

/** External domains live in the registry only; the edge agent renders them. */
public final class ExternalDomainConverger {
    private final EngineContext ctx;

    ExternalDomainConverger(EngineContext ctx) {
        this.ctx = ctx;
    }

    public record Status(long id, String name, String site, String authServerUrl, String managedBy) {}

    public record Result(Status status, List<Action> actions) {}

    public Result apply(String manager, ExternalDomainSpec spec) {
        return EngineErrors.guard(() -> applyUnguarded(manager, spec));
    }

    private Result applyUnguarded(String manager, ExternalDomainSpec spec) {
        Managers.check(manager);
        Optional<ExternalDomain> existing = ctx.registry.externalDomains().findByName(spec.name());
        existing.ifPresent(d -> EngineContext.requireManager("external domain", spec.name(), d.meta(), manager));
        Long siteId = spec.site() == null ? null : ctx.site(spec.site()).id();
        var tls = new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(new java.util.TreeMap<>(spec.tlsSource()));
        var wanted = new io.proxplane.core.registry.ExternalDomainSpec(spec.name(), siteId,
                (com.fasterxml.jackson.databind.JsonNode) tls, spec.authServerUrl());
        if (existing.isPresent() && existing.get().spec().equals(wanted)) {
            return new Result(status(existing.get(), spec.site()), List.of());
        }
        ExternalDomain saved = EngineContext.owned(() -> ctx.registry.externalDomains().upsert(manager, wanted));
        return new Result(status(saved, spec.site()), List.of(new Action(existing.isEmpty() ? "register" : "update",
                "external domain " + spec.name(), null)));
    }

    public Result delete(String manager, String name) {
        return EngineErrors.guard(() -> deleteUnguarded(manager, name));
    }

    private Result deleteUnguarded(String manager, String name) {
        Managers.check(manager);
        Optional<ExternalDomain> existing = ctx.registry.externalDomains().findByName(name);
        if (existing.isEmpty()) return new Result(null, List.of());
        EngineContext.requireManager("external domain", name, existing.get().meta(), manager);
        try {
            ctx.registry.externalDomains().delete(manager, existing.get().id());
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
        return new Status(d.id(), d.spec().name(), site, d.spec().authServerUrl(), d.meta().managedBy());
    }
}
