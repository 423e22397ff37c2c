package io.proxplane.operator.api;

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
    public Long observedGeneration;
    public List<Condition> conditions = new ArrayList<>();
}
