package io.proxplane.chart;

import java.util.List;

/**
 * The proxplane.io kinds of the operator's process contract, with the scope the chart's RBAC
 * assumes (templates/_helpers.tpl "proxplane.kinds"). CrdTest holds this table against the
 * generated CRDs; RbacTest holds the rendered RBAC against it.
 */
final class Kinds {
    record Kind(String kind, String plural, boolean clusterScoped) {}

    static final String GROUP = "proxplane.io";
    static final String VERSION = "v1alpha1";

    static final List<Kind> ALL = List.of(
            new Kind("Site", "sites", true),
            new Kind("ExternalDomain", "externaldomains", true),
            new Kind("Container", "containers", false),
            new Kind("ContainerService", "containerservices", false),
            new Kind("Pool", "pools", false),
            new Kind("User", "users", true),
            new Kind("Group", "groups", true),
            new Kind("DirectoryServiceAccount", "directoryserviceaccounts", true));

    private Kinds() {
    }

    static String crdFileName(Kind kind) {
        return kind.plural() + "." + GROUP + "-v1.yml";
    }
}
