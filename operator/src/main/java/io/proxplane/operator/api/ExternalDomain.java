package io.proxplane.operator.api;

import io.fabric8.generator.annotation.Required;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A public DNS apex ({@code metadata.name}, e.g. {@code apps.example.com}) for HTTP services. Cluster-scoped. */
@Group(Api.GROUP)
@Version(Api.VERSION)
@Kind("ExternalDomain")
@ShortNames({"ppdomain", "extdomain"})
@AdditionalPrinterColumn(name = "Site", jsonPath = ".spec.site", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Auth", jsonPath = ".spec.authServerUrl", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(value = "self.metadata.name.contains('.')",
        message = "metadata.name of an ExternalDomain is the apex and needs at least two labels, e.g. example.com")
public class ExternalDomain extends CustomResource<ExternalDomainSpec, ExternalDomainStatus> {

    // spec required: an object without it would reach the operator only to be refused
    @Override
    @Required
    @JsonPropertyDescription("The desired external domain (metadata.name is the apex, e.g. apps.example.com).")
    public ExternalDomainSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("What the operator observed of the domain.")
    public ExternalDomainStatus getStatus() {
        return super.getStatus();
    }
}
