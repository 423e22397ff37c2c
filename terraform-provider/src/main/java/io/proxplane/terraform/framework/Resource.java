package io.proxplane.terraform.framework;

import io.proxplane.terraform.diag.AttributePath;
import io.proxplane.terraform.diag.Diagnostics;
import io.proxplane.terraform.schema.Schema;
import io.proxplane.terraform.value.TfValue;
import java.util.List;

/**
 * A managed resource type. The protocol plumbing (decoding, encoding, the checks Terraform
 * enforces, both protocol versions) is in {@link ProviderCore}; an implementation only speaks in
 * {@link TfValue}s of its own schema. A null object ({@link TfValue#NULL}) means "does not exist".
 */
public interface Resource {

    String typeName();

    Schema schema();

    /** Static checks of the configuration, which may contain unknowns. */
    default void validate(TfValue.Obj config, Diagnostics diagnostics) {
    }

    /**
     * Plans a change. The default suits resources whose computed attributes are all decided by
     * the server: start from Terraform's proposal and, on create, mark computed attributes that
     * the configuration leaves null as unknown.
     */
    default Plan plan(PlanRequest request, Diagnostics diagnostics) {
        if (request.proposedNewState().isNull()) {
            return new Plan(TfValue.NULL, List.of(), request.priorPrivate());
        }
        TfValue.Obj proposed = (TfValue.Obj) request.proposedNewState();
        TfValue planned = request.priorState().isNull()
                ? Plans.unknownComputed(schema().block(), proposed, (TfValue.Obj) request.config())
                : proposed;
        return new Plan(planned, List.of(), request.priorPrivate());
    }

    /**
     * Creates, updates or (planned state null) deletes; returns the new state (null after delete).
     * With errors in {@code diagnostics}, a non-null object returned for a create is still recorded
     * (Terraform keeps it as tainted, to be destroyed and recreated): for work partly done.
     */
    Applied apply(ApplyRequest request, Diagnostics diagnostics);

    /** Refresh: the current remote object, null if it is gone. */
    Read read(TfValue.Obj currentState, byte[] privateState, Diagnostics diagnostics);

    /** Import by id: a (possibly partial) state that {@link #read} then completes. */
    List<TfValue.Obj> importState(String id, Diagnostics diagnostics);

    /** The private state of an imported instance (null: none); kept by Terraform through read, plan and apply. */
    default byte[] importPrivate() {
        return null;
    }

    /**
     * Upgrades a stored state of schema {@code version} (already decoded against the current
     * type, unknown attributes dropped). Override when {@link Schema#version()} is raised.
     */
    default TfValue.Obj upgrade(long version, TfValue.Obj state, Diagnostics diagnostics) {
        if (version > schema().version()) {
            diagnostics.error("State from a newer provider",
                    typeName() + " state has schema version " + version + " but this provider knows up to "
                            + schema().version() + "; upgrade the provider.");
        }
        return state;
    }

    record PlanRequest(TfValue priorState, TfValue proposedNewState, TfValue config, byte[] priorPrivate) {
    }

    record Plan(TfValue plannedState, List<AttributePath> requiresReplace, byte[] plannedPrivate) {
        public Plan {
            requiresReplace = List.copyOf(requiresReplace);
        }
    }

    record ApplyRequest(TfValue priorState, TfValue plannedState, TfValue config, byte[] plannedPrivate) {
        public boolean isDelete() {
            return plannedState.isNull();
        }

        public boolean isCreate() {
            return priorState.isNull();
        }
    }

    record Applied(TfValue newState, byte[] privateState) {
    }

    record Read(TfValue newState, byte[] privateState) {
    }
}
