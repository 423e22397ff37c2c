package io.proxplane.operator.api;

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
}
