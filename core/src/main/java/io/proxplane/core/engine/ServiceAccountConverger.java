package io.proxplane.core.engine;

import io.proxplane.core.engine.spec.ServiceAccountSpec;
import io.proxplane.core.registry.Claim;
import io.proxplane.core.registry.ServiceAccount;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Service accounts: registry rows only (the LDAP gateway serves them from there). The password is
 * stored as an argon2id hash, kept when the given password still matches it so re-applying does
 * not churn the row.
 */
public final class ServiceAccountConverger {
    private final EngineContext ctx;
    private final PasswordHasher hasher;

    ServiceAccountConverger(EngineContext ctx, PasswordHasher hasher) {
        this.ctx = ctx;
        this.hasher = hasher;
    }

    public record Status(long id, String name, String description, boolean hasPassword, String managedBy) {}

    public record Result(Status status, List<Action> actions) {}

    /**
     * Creates or updates as {@code claim} may: another manager's object is refused (OWNERSHIP),
     * another resource's with CONFLICT naming its holder, before any change.
     */
    public Result apply(Claim claim, ServiceAccountSpec spec) {
        return EngineErrors.guard(() -> applyUnguarded(claim, spec));
    }

    private Result applyUnguarded(Claim claim, ServiceAccountSpec spec) {
        Optional<ServiceAccount> existing = ctx.registry.serviceAccounts().findByName(spec.name());
        existing.ifPresent(a -> EngineContext.requireClaim("service account", spec.name(), a.meta(), claim));
        String oldHash = existing.map(a -> a.spec().passwordHash()).orElse(null);
        if (spec.password() == null && oldHash == null) {
            throw EngineException.invalidSpec("password", "is required for a new service account");
        }
        String hash = spec.password() == null ? oldHash
                : PasswordHasher.verify(spec.password(), oldHash) ? oldHash : hasher.hash(spec.password());
        var wanted = new io.proxplane.core.registry.ServiceAccountSpec(spec.name(), spec.description(), hash);
        ServiceAccount account = existing.orElse(null);
        Actions actions = new Actions();
        if (account == null || !account.spec().equals(wanted) || claim.claims(account.meta().claimedBy())) {
            account = EngineContext.owned(() -> ctx.registry.serviceAccounts().upsert(claim, wanted));
            actions.add(existing.isEmpty() ? "register" : "update", "service account " + spec.name(),
                    Objects.equals(hash, oldHash) ? null : "password hash replaced");
        }
        return new Result(status(account), actions.list());
    }

    /** Deletes if {@code claim} may: its holder, or anyone of its manager while the object is unclaimed. */
    public Result delete(Claim claim, String name) {
        return EngineErrors.guard(() -> {
            Optional<ServiceAccount> existing = ctx.registry.serviceAccounts().findByName(name);
            if (existing.isEmpty()) return new Result(null, List.of());
            EngineContext.requireDeleteClaim("service account", name, existing.get().meta(), claim);
            ctx.registry.serviceAccounts().delete(claim, existing.get().id());
            Actions actions = new Actions();
            actions.add("unregister", "service account " + name, null);
            return new Result(null, actions.list());
        });
    }

    public Optional<Status> observe(String name) {
        return EngineErrors.guard(() -> ctx.registry.serviceAccounts().findByName(name).map(ServiceAccountConverger::status));
    }

    private static Status status(ServiceAccount a) {
        return new Status(a.id(), a.name(), a.spec().description(), a.spec().passwordHash() != null, a.meta().managedBy());
    }
}
