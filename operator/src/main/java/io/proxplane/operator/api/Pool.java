package io.proxplane.operator.api;

import io.fabric8.generator.annotation.Required;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A pool with quotas and Proxmox roles granted on it. Namespaced (a team's quota lives with its
 * Containers), but its name is global in Proxmox and the registry: Containers name it by name
 * alone, and a second Pool of the same name elsewhere gets {@code OwnershipConflict}.
 */
@Group(Api.GROUP)
@Version(Api.VERSION)
@Kind("Pool")
@ShortNames({"pppool"})
@AdditionalPrinterColumn(name = "Containers", jsonPath = ".status.containers", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Cores", jsonPath = ".status.cores", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Memory", jsonPath = ".status.memoryMb", type = AdditionalPrinterColumn.Type.INTEGER, priority = 1)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
// Kubernetes already checks the name is a DNS subdomain; no dot and at most 63 characters make it a
// DNS label. No regex: its estimated cost on metadata.name could exceed a 1.25 API server's budget.
@ValidationRule(value = "size(self.metadata.name) <= 63 && !self.metadata.name.contains('.')",
        message = "metadata.name of a Pool must be a DNS label (1-63 characters a-z, 0-9, '-')")
public class Pool extends CustomResource<PoolSpec, PoolStatus> implements Namespaced {

    // spec required: an object without it would reach the operator only to be refused
    @Override
    @Required
    @JsonPropertyDescription("The desired pool: quotas and Proxmox access grants.")
    public PoolSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("Usage of the pool.")
    public PoolStatus getStatus() {
        return super.getStatus();
    }
}
