package io.proxplane.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The CRD schema of one status condition, only so that {@code kubectl explain} describes its fields:
 * the status holds fabric8's {@code Condition} (the same six fields, Kubernetes' metav1.Condition),
 * whose model carries no descriptions. Used through {@code @SchemaFrom} in {@link ProxplaneStatus}.
 */
public class ConditionSchema {
    @JsonPropertyDescription("Ready, or a kind-specific condition such as EdgeApplied.")
    public String type;
    @JsonPropertyDescription("True, False or Unknown.")
    public String status;
    @JsonPropertyDescription("metadata.generation the condition was set for.")
    public Long observedGeneration;
    @JsonPropertyDescription("When status last changed (RFC 3339).")
    public String lastTransitionTime;
    @JsonPropertyDescription("One word (CamelCase) for why, e.g. Reconciled, InvalidSpec, ProxmoxUnavailable.")
    public String reason;
    @JsonPropertyDescription("What happened, for people: the field and reason of a refusal, the error of a failure.")
    public String message;
}
