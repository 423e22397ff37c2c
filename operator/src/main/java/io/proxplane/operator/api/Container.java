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
 * An LXC container. Its name ({@code metadata.name}) is its name in the site, so two namespaces
 * cannot both declare {@code web1} on one site: the second gets {@code Ready=False OwnershipConflict}.
 */
@Group(Api.GROUP)
@Version(Api.VERSION)
@Kind("Container")
@ShortNames({"ppct", "lxc"})
@AdditionalPrinterColumn(name = "Site", jsonPath = ".spec.site", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Node", jsonPath = ".status.node", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "VMID", jsonPath = ".status.vmid", type = AdditionalPrinterColumn.Type.INTEGER, priority = 1)
@AdditionalPrinterColumn(name = "IP", jsonPath = ".status.ipv4", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "State", jsonPath = ".status.state", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
// Kubernetes already checks the name is a DNS subdomain; no dot and at most 63 characters make it a
// DNS label. No regex: its estimated cost on metadata.name could exceed a 1.25 API server's budget.
@ValidationRule(value = "size(self.metadata.name) <= 63 && !self.metadata.name.contains('.')",
        message = "metadata.name of a Container must be a DNS label (1-63 characters a-z, 0-9, '-')")
public class Container extends CustomResource<ContainerSpec, ContainerStatus> implements Namespaced {

    // spec required: an object without it would reach the operator only to be refused
    @Override
    @Required
    @JsonPropertyDescription("The desired LXC container.")
    public ContainerSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("What the operator observed of the container in Proxmox.")
    public ContainerStatus getStatus() {
        return super.getStatus();
    }
}
