package io.proxplane.operator.api;

import io.fabric8.crd.generator.annotation.SchemaFrom;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.ArrayList;
import java.util.List;

/**
 * What every kind's status carries: the generation the operator last acted on and the conditions
 * ({@code Ready} with a typed reason). Kind-specific statuses extend it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProxplaneStatus {
    /** {@code metadata.generation} of the spec this status describes. */
    @JsonPropertyDescription("metadata.generation of the spec this status describes.")
    public Long observedGeneration;
    @JsonPropertyDescription("Ready (with a reason such as Reconciled, InvalidSpec, QuotaExceeded, ProxmoxUnavailable) and kind-specific conditions.")
    @SchemaFrom(type = ConditionSchema[].class)
    public List<Condition> conditions = new ArrayList<>();
}
