package io.proxplane.operator.api;

import io.fabric8.generator.annotation.Required;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A directory user with an account in every container. Cluster-scoped: uids are global. */
@Group(Api.GROUP)
@Version(Api.VERSION)
@Kind("User")
@ShortNames({"ppuser"})
@AdditionalPrinterColumn(name = "Username", jsonPath = ".status.username", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "UID", jsonPath = ".status.uid", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Status", jsonPath = ".spec.status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class User extends CustomResource<UserSpec, UserStatus> {

    // spec required: an object without it would reach the operator only to be refused
    @Override
    @Required
    @JsonPropertyDescription("The desired directory user.")
    public UserSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("The user as recorded: ids and groups.")
    public UserStatus getStatus() {
        return super.getStatus();
    }
}
