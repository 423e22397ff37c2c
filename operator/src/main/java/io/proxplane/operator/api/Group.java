package io.proxplane.operator.api;

import io.fabric8.generator.annotation.Required;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A directory group. Cluster-scoped: gids are global. */
@io.fabric8.kubernetes.model.annotation.Group(Api.GROUP)
@Version(Api.VERSION)
@Kind("Group")
@ShortNames({"ppgroup"})
@AdditionalPrinterColumn(name = "Group", jsonPath = ".status.name", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "GID", jsonPath = ".status.gid", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Admin", jsonPath = ".spec.admin", type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class Group extends CustomResource<GroupSpec, GroupStatus> {

    // spec required: an object without it would reach the operator only to be refused
    @Override
    @Required
    @JsonPropertyDescription("The desired POSIX group.")
    public GroupSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("The group as recorded: gid and members.")
    public GroupStatus getStatus() {
        return super.getStatus();
    }
}
