package io.proxplane.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A bind identity for SSSD or nslcd in containers: the LDAP gateway serves it at
 * {@code uid=<name>,ou=services,<base>}. Cluster-scoped: names are global in the directory.
 */
@Group(Api.GROUP)
@Version(Api.VERSION)
@Kind("DirectoryServiceAccount")
@ShortNames({"ppdsa"})
@AdditionalPrinterColumn(name = "Name", jsonPath = ".status.name", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class DirectoryServiceAccount extends CustomResource<DirectoryServiceAccountSpec, DirectoryServiceAccountStatus> {

    // spec required: an object without it would reach the operator only to be refused
    @Override
    @Required
    @JsonPropertyDescription("The desired bind identity.")
    public DirectoryServiceAccountSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("The account as recorded.")
    public DirectoryServiceAccountStatus getStatus() {
        return super.getStatus();
    }
}
