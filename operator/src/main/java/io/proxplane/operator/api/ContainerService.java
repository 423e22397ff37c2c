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

/** A service of a Container in the same namespace: an HTTPS host name, a TCP/UDP port or a DNS SRV name. */
@Group(Api.GROUP)
@Version(Api.VERSION)
@Kind("ContainerService")
@ShortNames({"ppsvc", "ctsvc"})
@AdditionalPrinterColumn(name = "Container", jsonPath = ".spec.container", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Kind", jsonPath = ".status.kind", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "FQDN", jsonPath = ".status.fqdn", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Port", jsonPath = ".status.externalPort", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Edge", jsonPath = ".status.conditions[?(@.type==\"EdgeApplied\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "URL", jsonPath = ".status.url", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
// Kubernetes already checks the name is a DNS subdomain; no dot and at most 63 characters make it a
// DNS label. No regex: its estimated cost on metadata.name could exceed a 1.25 API server's budget.
@ValidationRule(value = "size(self.metadata.name) <= 63 && !self.metadata.name.contains('.')",
        message = "metadata.name of a ContainerService must be a DNS label (1-63 characters a-z, 0-9, '-')")
public class ContainerService extends CustomResource<ContainerServiceSpec, ContainerServiceStatus> implements Namespaced {

    // spec required: an object without it would reach the operator only to be refused
    @Override
    @Required
    @JsonPropertyDescription("How the container is reached: exactly one of http, tcp, udp and dnsSrv.")
    public ContainerServiceSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("The service's address as recorded, and whether the edge serves it (EdgeApplied).")
    public ContainerServiceStatus getStatus() {
        return super.getStatus();
    }
}
