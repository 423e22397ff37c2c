package io.proxplane.terraform.resources;

import io.proxplane.core.engine.EngineErrors;
import io.proxplane.core.engine.EngineException;
import io.proxplane.core.engine.References;
import io.proxplane.core.registry.Claim;
import io.proxplane.core.registry.ClaimConflictException;
import io.proxplane.terraform.diag.AttributePath;
import io.proxplane.terraform.diag.Diagnostics;
import io.proxplane.terraform.framework.Plans;
import io.proxplane.terraform.framework.Resource;
import io.proxplane.terraform.schema.Attribute;
import io.proxplane.terraform.schema.Block;
import io.proxplane.terraform.schema.Schema;
import io.proxplane.terraform.value.TfValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A resource that is one engine spec: attributes -> spec record -> {@code engine.<kind>().apply}
 * -> result -> state. Subclasses say how to build the spec, which defaults and stable computed
 * values are known at plan time, and which attributes Proxmox cannot change in place. The
 * {@link Identity} gives every resource its {@code id}, import and replacement on a new name.
 *
 * <p>Rules that keep the second plan empty: optional attributes without a default are stored
 * exactly as configured (never normalised); defaults are applied at plan time even when the prior
 * state holds something else, so drift on a defaulted attribute shows; computed values keep their
 * prior value unless an input they derive from changes.
 */
abstract class EngineResource<S> implements Resource {

    protected final EngineAccess access;
    private final String typeName;
    private final Identity identity;
    private final Schema schema;

    EngineResource(EngineAccess access, String typeName, Identity identity) {
        this.access = access;
        this.typeName = typeName;
        this.identity = identity;
        this.schema = Schema.of(block());
    }

    abstract Block block();

    /** Builds the spec from a wholly known object (config or planned state); refusals go to {@code d}. */
    abstract S toSpec(TfValue.Obj v, Diagnostics d);

    /** Optional+computed attributes with a default, applied at plan time when the configuration leaves them null. */
    Map<String, TfValue> defaults(TfValue.Obj config) {
        return Map.of();
    }

    /** How this resource's spec fields map to attributes: an engine refusal of a value points at its attribute. */
    SpecPaths paths() {
        return SpecPaths.of(Map.of());
    }

    /** Attributes besides the identity whose change Proxmox or the engine cannot make in place. */
    List<String> replaceOn() {
        return List.of();
    }

    /** Further replacement reasons comparing prior state and plan (e.g. disk shrink). */
    List<AttributePath> replaceAlso(TfValue.Obj prior, TfValue.Obj planned) {
        return List.of();
    }

    /** Fills computed attributes (other than {@code id}) known at plan time; {@code prior} null on create. */
    TfValue.Obj planComputed(TfValue.Obj prior, TfValue.Obj planned, TfValue.Obj config) {
        return planned;
    }

    /** The object this resource's planned state makes (its kind and name), when its name is known. */
    Optional<References.Reference> declares(TfValue.Obj planned) {
        return Optional.empty();
    }

    /**
     * The references to other objects among the configuration's known values ({@code field} the
     * spec path, as {@link #paths()} maps it): checked at plan time against the registry and the
     * objects planned before this resource.
     */
    List<References.Reference> references(TfValue.Obj config) {
        return List.of();
    }

    /**
     * Values of the configuration only one object may hold, checked at plan time against the
     * registry and against the other resources of this plan (a requested port, a host name).
     */
    List<EngineException> taken(TfValue.Obj config) {
        return List.of();
    }

    /** Converges the spec as {@code claim}; returns the new state (planned values plus computed results). */
    abstract TfValue.Obj converge(Claim claim, S spec, TfValue.Obj planned, Diagnostics d);

    abstract void remove(Claim claim, TfValue.Obj prior, Diagnostics d);

    @Override
    public final String typeName() {
        return typeName;
    }

    @Override
    public final Schema schema() {
        return schema;
    }

    /**
     * Valid stand-ins for attributes that usually refer to other resources (a site's name, a
     * pool's name): with those unknown the remaining attributes are still checked at plan time.
     */
    Map<String, TfValue> probes() {
        return Map.of();
    }

    @Override
    public void validate(TfValue.Obj config, Diagnostics d) {
        TfValue.Obj probe = config;
        for (var e : probes().entrySet()) {
            if (probe.get(e.getKey()).isUnknown()) {
                probe = probe.with(e.getKey(), e.getValue());
            }
        }
        // Any other unknown (values of resources not created yet): the engine's checks run at
        // apply, and the same translation then names the attribute.
        if (probe.isWhollyKnown()) {
            toSpec(withDefaults(probe, probe), d);
        }
    }

    /**
     * The engine folds some values (DNS names to lower case, CIDRs to their network): a
     * configuration must use the stored spelling, or every refresh would look up another name and
     * every plan show a change.
     */
    static void canonical(Diagnostics d, AttributePath path, String given, String stored) {
        if (given != null && stored != null && !given.equals(stored)) {
            d.error(path, "Non-canonical " + path, path + " is stored as '" + stored + "'; write it that way ('" + given
                    + "' would show as a change in every plan).");
        }
    }

    /** {@link #canonical(Diagnostics, AttributePath, String, String)} for a top-level string attribute of {@code v}. */
    static void canonical(Diagnostics d, TfValue.Obj v, String attribute, String stored) {
        canonical(d, AttributePath.of(attribute), Values.str(v, attribute), stored);
    }

    @Override
    public Plan plan(PlanRequest r, Diagnostics d) {
        if (r.proposedNewState().isNull()) {
            return new Plan(TfValue.NULL, List.of(), r.priorPrivate());
        }
        TfValue.Obj config = (TfValue.Obj) r.config();
        TfValue.Obj proposed = (TfValue.Obj) r.proposedNewState();
        TfValue.Obj prior = r.priorState().isNull() ? null : (TfValue.Obj) r.priorState();
        checkAgainstRegistry(config, prior, d);
        TfValue.Obj planned = prior == null ? Plans.unknownComputed(schema.block(), proposed, config) : proposed;
        planned = withDefaults(planned, config);
        planned = planned.with("id", identity.id(planned));
        planned = planComputed(prior, planned, config);
        List<AttributePath> replace = new ArrayList<>();
        if (prior != null) {
            List<String> replacing = new ArrayList<>(identity.attributes());
            replacing.addAll(replaceOn());
            for (String a : replacing) {
                // An unknown value may turn out different, so it replaces, as the framework's RequiresReplace does.
                if (!planned.get(a).equals(prior.get(a))) {
                    replace.add(AttributePath.of(a));
                }
            }
            replace.addAll(replaceAlso(prior, planned));
        }
        declares(planned).ifPresent(access::declare);
        return new Plan(withoutWriteOnly(planned), replace, r.priorPrivate());
    }

    /**
     * Plan-time checks against the registry and the resources planned before this one: a value
     * another object holds ({@link #taken}) and a reference to an object that neither the registry
     * holds nor this plan creates ({@link #references}) are refused on their attribute.
     */
    private void checkAgainstRegistry(TfValue.Obj config, TfValue.Obj prior, Diagnostics d) {
        try {
            // a value this resource already holds is its own (References.taken leaves the holder out)
            for (EngineException held : taken(config)) {
                AttributePath p = paths().path(held.field());
                d.error(p, "Value already taken: " + p, held.reason() + ". " + capitalized(held.userAction()) + ".");
            }
        } catch (RuntimeException e) {
            EngineDiagnostics.report(d, paths(), "Checking the values of " + typeName(), e);
        }
        // Only references this plan adds: one the last apply already made is not checked again, so a
        // resource whose referenced object is gone can still be destroyed (destroy plans first) or
        // left as it is; a change that needs it is refused by the apply.
        List<References.Reference> before = prior == null ? List.of() : references(prior);
        List<References.Reference> refs = references(config).stream()
                .filter(ref -> before.stream().noneMatch(b -> b.kind() == ref.kind() && java.util.Objects.equals(b.key(), ref.key())))
                .toList();
        if (refs.isEmpty()) return;
        try {
            for (EngineException missing : access.missing(refs)) {
                AttributePath p = paths().path(missing.field());
                References.Reference ref = refs.stream().filter(x -> x.field().equals(missing.field())).findFirst().orElseThrow();
                d.error(p, "Unknown " + ref.kind().noun() + " in " + p, missing.reason()
                        + ". Create it first or correct " + p + "; if this configuration creates it, refer to that resource"
                        + " (for example proxplane_" + SpecPaths.snake(ref.kind().kindName()) + ".x."
                        + (ref.kind() == References.Kind.USER ? "username" : "name")
                        + ") so that Terraform plans and creates it first.");
            }
        } catch (RuntimeException e) {
            EngineDiagnostics.report(d, paths(), "Checking the references of " + typeName(), e);
        }
    }

    private static String capitalized(String s) {
        return s == null || s.isEmpty() ? "" : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private TfValue.Obj withoutWriteOnly(TfValue.Obj v) {
        TfValue.Obj out = v;
        for (Attribute a : schema.block().attributes()) {
            if (a.writeOnly()) out = out.with(a.name(), TfValue.NULL);
        }
        return out;
    }

    private TfValue.Obj withWriteOnlyFrom(TfValue.Obj planned, TfValue.Obj config) {
        TfValue.Obj out = planned;
        for (Attribute a : schema.block().attributes()) {
            if (a.writeOnly()) out = out.with(a.name(), config.get(a.name()));
        }
        return out;
    }

    TfValue.Obj withDefaults(TfValue.Obj planned, TfValue.Obj config) {
        TfValue.Obj out = planned;
        for (var e : defaults(config).entrySet()) {
            if (config.get(e.getKey()).isNull()) {
                out = out.with(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /**
     * One engine object belongs to one resource instance: a create claims it with a fresh token
     * ({@link Claim.Mode#CREATE}: refused, before any change, when the object exists), kept in the
     * private state; updates and deletes act with that token. An imported resource adopts the object
     * at its next apply; a state from a provider before claims claims its (unclaimed) object then.
     */
    @Override
    public Applied apply(ApplyRequest r, Diagnostics d) {
        String manager = access.manager();
        ClaimState held = ClaimState.parse(r.plannedPrivate());
        Claim claim = null;
        try {
            if (r.isDelete()) {
                claim = held.forDelete(manager);
                remove(claim, (TfValue.Obj) r.priorState(), d);
                return d.hasErrors() ? null : new Applied(TfValue.NULL, null);
            }
            TfValue.Obj planned = (TfValue.Obj) r.plannedState();
            // write-only values come with the configuration only: never in plan or state
            S spec = toSpec(withWriteOnlyFrom(planned, (TfValue.Obj) r.config()), d);
            if (spec == null || d.hasErrors()) {
                return null;
            }
            claim = r.isCreate() ? Claim.create(manager, ClaimState.newHolder()) : held.forUpdate(manager);
            TfValue.Obj state = converge(claim, spec, planned, d);
            return state == null || d.hasErrors() ? null : new Applied(withoutWriteOnly(state), ClaimState.held(claim.holder()).bytes());
        } catch (RuntimeException e) {
            EngineException failure = EngineDiagnostics.report(d, paths(), AttributePath.of(identity.attributes()
                    .get(identity.attributes().size() - 1)), (r.isDelete() ? "Deleting " : "Applying ") + typeName(), e);
            if (r.isCreate() && claim != null && mayHaveWritten(failure)) {
                // The engine may have registered (and so claimed) the object before failing: keep the token,
                // so Terraform records the instance as tainted and the next apply deletes and recreates it with
                // the claim, instead of a fresh create being refused by our own leftover.
                return new Applied(Plans.unknownAsNull((TfValue.Obj) r.plannedState()), ClaimState.held(claim.holder()).bytes());
            }
            return null;
        }
    }

    /** Refusals the engine makes before writing anything leave nothing to record. */
    private static boolean mayHaveWritten(EngineException e) {
        return switch (e.kind()) {
            case INVALID_SPEC, NOT_FOUND, OWNERSHIP, QUOTA, IN_USE -> false;
            case CONFLICT -> !(e.getCause() instanceof ClaimConflictException);
            default -> true;
        };
    }

    @Override
    public Read read(TfValue.Obj current, byte[] privateState, Diagnostics d) {
        try {
            return new Read(refresh(current, d), privateState);
        } catch (RuntimeException e) {
            if (EngineErrors.translate(e).kind() == EngineException.Kind.NOT_FOUND) {
                return new Read(TfValue.NULL, privateState);
            }
            EngineDiagnostics.report(d, paths(), "Reading " + typeName(), e);
            return new Read(current, privateState);
        }
    }

    /** The current object (null when gone); fills a freshly imported state completely. */
    abstract TfValue refresh(TfValue.Obj current, Diagnostics d);

    @Override
    public List<TfValue.Obj> importState(String id, Diagnostics d) {
        return identity.importState(id, d);
    }

    /** An imported instance adopts its object at its next apply (see {@link ClaimState}). */
    @Override
    public byte[] importPrivate() {
        return ClaimState.ADOPT_PENDING.bytes();
    }
}
