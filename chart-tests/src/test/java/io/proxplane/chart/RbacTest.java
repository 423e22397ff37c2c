package io.proxplane.chart;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.proxplane.chart.ChartFixture.NAMESPACE;
import static io.proxplane.chart.ChartFixture.render;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the operator's permissions hold (cluster-wide or which namespaces) and on which resources,
 * and that nobody else gets any. Which verbs: not pinned here but derived from what the operator
 * does, by operator/ChartRbacIT (every API call its tests make against the chart rendered with the
 * same settings, both ways).
 */
class RbacTest {
    private static final String CLUSTER = "*cluster*";
    private static final String OPERATOR_SA = "pp-proxplane-operator";

    /** One permission: API group, resource, verb, and the namespace it holds in (or cluster-wide). */
    record Grant(String scope, String group, String resource, String verb) implements Comparable<Grant> {
        @Override
        public int compareTo(Grant o) {
            return toString().compareTo(o.toString());
        }
    }

    /** A permission without its verb: API group and resource, and the namespace it holds in (or cluster-wide). */
    record Place(String scope, String group, String resource) implements Comparable<Place> {
        @Override
        public int compareTo(Place o) {
            return toString().compareTo(o.toString());
        }
    }

    static Set<Place> places(Set<Grant> grants) {
        Set<Place> out = new TreeSet<>();
        grants.forEach(g -> out.add(new Place(g.scope(), g.group(), g.resource())));
        return out;
    }

    @Test
    void allNamespacesGrantsTheKindsSecretsAndEventsClusterWideAndTheLeaseLocally() {
        Set<Place> expected = new TreeSet<>();
        kindPlaces(expected, CLUSTER, Kinds.ALL);
        expected.add(new Place(CLUSTER, "", "secrets"));
        expected.add(new Place(CLUSTER, "", "events"));
        expected.add(new Place(NAMESPACE, "coordination.k8s.io", "leases"));
        assertThat(places(operatorGrants(render("minimal")))).containsExactlyElementsOf(expected);
    }

    @Test
    void watchedNamespacesKeepNamespacedKindsSecretsAndEventsInThoseNamespaces() {
        Manifests m = render("full"); // watchNamespaces [team-a, team-b], lease in the release namespace
        Set<Place> expected = new TreeSet<>();
        kindPlaces(expected, CLUSTER, Kinds.ALL.stream().filter(Kinds.Kind::clusterScoped).toList());
        for (String ns : List.of("team-a", "team-b")) {
            kindPlaces(expected, ns, Kinds.ALL.stream().filter(k -> !k.clusterScoped()).toList());
            expected.add(new Place(ns, "", "secrets"));
            expected.add(new Place(ns, "", "events"));
        }
        // credentials Secrets of the cluster-scoped kinds live beside the operator; Events about them
        // must be in `default` (the API server refuses them anywhere else)
        expected.add(new Place(NAMESPACE, "", "secrets"));
        expected.add(new Place("default", "", "events"));
        expected.add(new Place(NAMESPACE, "coordination.k8s.io", "leases"));
        assertThat(places(operatorGrants(m))).containsExactlyElementsOf(expected);
    }

    @Test
    void watchingDefaultItselfGivesItOneRoleWithEverything() {
        Manifests m = render("minimal", Map.of("operator.watchNamespaces[0]", "default"));
        assertThat(places(operatorGrants(m))).contains(new Place("default", "", "events"), new Place("default", "", "secrets"),
                new Place("default", Kinds.GROUP, "containers"));
        assertThat(roles(m).stream().filter(r -> r.path("metadata").path("namespace").asText().equals("default"))).hasSize(1);
    }

    @Test
    void theLeaseRoleFollowsTheLeaderElectionNamespaceAndGoesWithLeaderElection() {
        Manifests moved = render("minimal", Map.of("operator.leaderElection.namespace", "kube-leases"));
        assertThat(places(operatorGrants(moved))).contains(new Place("kube-leases", "coordination.k8s.io", "leases"))
                .noneMatch(g -> g.resource().equals("leases") && !g.scope().equals("kube-leases"));
        Manifests off = render("minimal", Map.of("operator.leaderElection.enabled", false));
        assertThat(operatorGrants(off)).noneMatch(g -> g.resource().equals("leases"));
    }

    @Test
    void noRoleInTheChartUsesWildcards() {
        for (String values : List.of("minimal", "full", "hostnetwork")) {
            Manifests m = render(values);
            for (JsonNode role : roles(m)) {
                for (JsonNode rule : role.path("rules")) {
                    for (String field : List.of("apiGroups", "resources", "verbs", "resourceNames", "nonResourceURLs")) {
                        rule.path(field).forEach(v -> assertThat(v.asText())
                                .as("%s %s %s in %s", role.path("kind").asText(), role.path("metadata").path("name").asText(), field, values)
                                .doesNotContain("*"));
                    }
                    assertThat(rule.has("nonResourceURLs")).isFalse();
                }
                assertThat(role.has("aggregationRule")).as("aggregationRule would pull in other roles' rules").isFalse();
            }
        }
    }

    @Test
    void onlyTheOperatorIsBoundAndTheOtherComponentsGetNoToken() {
        Manifests m = render("full");
        for (JsonNode binding : bindings(m)) {
            for (JsonNode subject : binding.path("subjects")) {
                assertThat(subject.path("kind").asText()).isEqualTo("ServiceAccount");
                assertThat(subject.path("name").asText()).isEqualTo(OPERATOR_SA);
                assertThat(subject.path("namespace").asText()).isEqualTo(NAMESPACE);
            }
            // the user-facing aggregated roles are never bound to the operator
            assertThat(binding.path("roleRef").path("name").asText()).doesNotEndWith("-view").doesNotEndWith("-edit");
        }
        for (String component : List.of("ldap", "edge")) {
            JsonNode pod = m.requireDeployment(component).path("spec").path("template").path("spec");
            assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).as(component).isFalse();
            JsonNode sa = m.get("ServiceAccount", pod.path("serviceAccountName").asText());
            assertThat(sa.path("automountServiceAccountToken").asBoolean(true)).as(component).isFalse();
        }
    }

    @Test
    void aggregatedUserRolesLetNamespaceEditorsManageOnlyNamespacedKinds() {
        Manifests m = render("minimal");
        JsonNode edit = m.get("ClusterRole", "pp-proxplane-edit");
        assertThat(edit.path("metadata").path("labels").path("rbac.authorization.k8s.io/aggregate-to-edit").asText()).isEqualTo("true");
        Set<String> editable = new HashSet<>();
        edit.path("rules").forEach(r -> r.path("resources").forEach(x -> editable.add(x.asText())));
        assertThat(editable).containsExactlyInAnyOrderElementsOf(
                Kinds.ALL.stream().filter(k -> !k.clusterScoped()).map(Kinds.Kind::plural).toList());
        assertThat(render("minimal", Map.of("operator.rbac.aggregateToDefaultRoles", false)).find("ClusterRole", "pp-proxplane-edit"))
                .isEmpty();
    }

    @Test
    void externallyManagedServiceAccountsAndRbacAreRespected() {
        Manifests m = render("minimal", Map.of("operator.rbac.create", false, "operator.serviceAccount.create", false,
                "operator.serviceAccount.name", "platform-operator-sa", "ldap.serviceAccount.create", false));
        assertThat(m.all()).noneMatch(o -> o.path("kind").asText().matches("Role|ClusterRole|RoleBinding|ClusterRoleBinding"));
        assertThat(m.requireDeployment("operator").path("spec").path("template").path("spec").path("serviceAccountName").asText())
                .isEqualTo("platform-operator-sa");
        assertThat(m.ofKind("ServiceAccount")).extracting(sa -> sa.path("metadata").path("name").asText())
                .containsExactly("pp-proxplane-edge");
        assertThat(m.requireDeployment("ldap").path("spec").path("template").path("spec").path("serviceAccountName").asText())
                .isEqualTo("default");
    }

    // ---------------------------------------------------------------------------------------------

    private static void kindPlaces(Set<Place> out, String scope, List<Kinds.Kind> kinds) {
        for (Kinds.Kind k : kinds) {
            out.add(new Place(scope, Kinds.GROUP, k.plural()));
            out.add(new Place(scope, Kinds.GROUP, k.plural() + "/status"));
        }
    }

    private static List<JsonNode> roles(Manifests m) {
        return m.all().stream().filter(o -> o.path("kind").asText().matches("Role|ClusterRole")).toList();
    }

    private static List<JsonNode> bindings(Manifests m) {
        return m.all().stream().filter(o -> o.path("kind").asText().matches("RoleBinding|ClusterRoleBinding")).toList();
    }

    /** Everything the operator's ServiceAccount may do, expanded rule by rule. */
    static Set<Grant> operatorGrants(Manifests m) {
        Set<Grant> out = new HashSet<>();
        for (JsonNode binding : bindings(m)) {
            boolean boundToOperator = false;
            for (JsonNode s : binding.path("subjects")) {
                boundToOperator |= s.path("kind").asText().equals("ServiceAccount") && s.path("name").asText().equals(OPERATOR_SA);
            }
            if (!boundToOperator) {
                continue;
            }
            String roleKind = binding.path("roleRef").path("kind").asText();
            String roleName = binding.path("roleRef").path("name").asText();
            boolean clusterWide = binding.path("kind").asText().equals("ClusterRoleBinding");
            String scope = clusterWide ? CLUSTER : binding.path("metadata").path("namespace").asText();
            JsonNode role = roles(m).stream()
                    .filter(r -> r.path("kind").asText().equals(roleKind) && r.path("metadata").path("name").asText().equals(roleName)
                            && (roleKind.equals("ClusterRole") || r.path("metadata").path("namespace").asText().equals(scope)))
                    .findFirst().orElseThrow(() -> new AssertionError(binding.path("metadata").path("name").asText()
                            + " refers to " + roleKind + " " + roleName + " which the chart does not render"));
            for (JsonNode rule : role.path("rules")) {
                for (JsonNode group : rule.path("apiGroups")) {
                    for (JsonNode resource : rule.path("resources")) {
                        for (JsonNode verb : rule.path("verbs")) {
                            out.add(new Grant(scope, group.asText(), resource.asText(), verb.asText()));
                        }
                    }
                }
            }
        }
        return out;
    }
}
