package io.proxplane.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A site: one internal network served by one or more Proxmox endpoints. Cluster-scoped. */
@Group(Api.GROUP)
@Version(Api.VERSION)
@Kind("Site")
@ShortNames({"ppsite"})
@AdditionalPrinterColumn(name = "Domain", jsonPath = ".spec.dnsDomain", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Network", jsonPath = ".spec.networkCidr", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Nodes", jsonPath = ".status.onlineNodeList", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
// Kubernetes already checks the name is a DNS subdomain; no dot and at most 63 characters make it a
// DNS label. No regex: its estimated cost on metadata.name could exceed a 1.25 API server's budget.
@ValidationRule(value = "size(self.metadata.name) <= 63 && !self.metadata.name.contains('.')",
        message = "metadata.name of a Site must be a DNS label (1-63 characters a-z, 0-9, '-')")
public class Site extends CustomResource<SiteSpec, SiteStatus> {
    // cluster-scoped: site names are global in the registry and in every front door

    // spec required: an object without it would reach the operator only to be refused
    @Override
    @Required
    @JsonPropertyDescription("The desired site: its network and the Proxmox endpoints that serve it.")
    public SiteSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("What the operator observed of the site: its nodes and the last bulk poll.")
    public SiteStatus getStatus() {
        return super.getStatus();
    }
}
