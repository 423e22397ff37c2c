package io.proxplane.operator;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart's RBAC for the operator against what the operator does: every API call the operators
 * under test made against the mock API server during this module's tests (recorded by
 * {@link ApiServer} into target/api-calls/, Lease renewals and Events included) must be allowed by
 * the RBAC the real Helm engine renders for the same settings (release namespace and Lease in
 * proxplane-system, the same watched namespaces), exactly as the API server authorizes (verb, group,
 * resource, namespace); and every verb on every resource the chart grants must have been used by
 * some call (our kinds taken together, see {@link #what}). Runs after the unit tests (failsafe), which make the record.
 */
class ChartRbacIT {
    static final Path CHART = OperatorFixture.ROOT.resolve("charts/proxplane");
    static final String SERVICE_ACCOUNT = "pp-proxplane-operator";
    static final String CLUSTER = "*cluster*";

    /** What RBAC authorizes: verb on group/resource in a namespace (CLUSTER: cluster-scoped or across all namespaces). */
    record Access(String verb, String group, String resource, String namespace) {
        static Access parse(String[] f) {
            return new Access(f[1], f[2].equals("core") ? "" : f[2], f[3], f[4]);
        }

        String what() {
            return ChartRbacIT.what(verb, group, resource);
        }
    }

    /**
     * Verb and resource with our kinds' plurals as {@code <kind>}: every kind goes through the same
     * reconciler code (EngineReconciler) and the chart grants every kind the same rules, so a verb the
     * tests use on one kind (a status update while deletion is blocked, say) is used on all.
     */
    static String what(String verb, String group, String resource) {
        if (group.equals("proxplane.io")) resource = resource.replaceFirst("^[a-z]+", "<kind>");
        return verb + " " + (group.isEmpty() ? "" : group + "/") + resource;
    }

    /** One grant from a rule through a binding: scope CLUSTER (ClusterRoleBinding) or the RoleBinding's namespace. */
    record Grant(String scope, String verb, String group, String resource) {
        boolean allows(Access a) {
            return verb.equals(a.verb()) && group.equals(a.group()) && resource.equals(a.resource())
                    && (scope.equals(CLUSTER) || scope.equals(a.namespace()));
        }

        String what() {
            return ChartRbacIT.what(verb, group, resource);
        }
    }

    /** Calls per watch mode ("*" = all namespaces, else the watched namespaces, comma-separated). */
    static Map<String, Set<Access>> recorded = new TreeMap<>();

    @BeforeAll
    static void readRecord() throws IOException {
        assertThat(ApiServer.RECORD_DIR).as("the operator's unit tests record their API calls in " + ApiServer.RECORD_DIR.toAbsolutePath()
                + "; run this module's tests first (mvn verify without a -Dtest filter)").isDirectory();
        try (Stream<Path> files = Files.list(ApiServer.RECORD_DIR)) {
            for (Path p : files.filter(p -> p.toString().endsWith(".tsv")).toList()) {
                for (String line : Files.readAllLines(p)) {
                    String[] f = line.split("\t");
                    recorded.computeIfAbsent(f[0], k -> new TreeSet<>(java.util.Comparator.comparing(Access::toString))).add(Access.parse(f));
                }
            }
        }
        assertThat(recorded.keySet()).as("records of an operator watching all namespaces and one watching some (the whole test suite)")
                .contains("*").anyMatch(m -> !m.equals("*"));
    }

    /** The operator's grants as the chart renders them with the CI's minimal values and these watched namespaces. */
    static List<Grant> chartGrants(String mode) throws IOException {
        Path values = Files.createTempFile("rbac-values", ".yaml");
        try {
            Files.writeString(values, "operator:\n  watchNamespaces: [" + (mode.equals("*") ? "" : mode) + "]\n");
            String out = new Helm(CHART).template().withName("pp").withNamespace(OperatorFixture.SYSTEM_NS).withKubeVersion("1.30.0")
                    .withValuesFile(CHART.resolve("ci/minimal-values.yaml")).withValuesFile(values).call();
            List<HasMetadata> objects = new ArrayList<>();
            for (String doc : out.split("(?m)^---\\s*$")) {
                if (doc.lines().anyMatch(l -> l.startsWith("kind:"))) objects.add(Serialization.unmarshal(doc));
            }
            return grants(objects);
        } finally {
            Files.deleteIfExists(values);
        }
    }

    static List<Grant> grants(List<HasMetadata> objects) {
        List<Grant> out = new ArrayList<>();
        for (HasMetadata o : objects) {
            List<Subject> subjects;
            RoleRef ref;
            String scope;
            if (o instanceof ClusterRoleBinding b) {
                subjects = b.getSubjects();
                ref = b.getRoleRef();
                scope = CLUSTER;
            } else if (o instanceof RoleBinding b) {
                subjects = b.getSubjects();
                ref = b.getRoleRef();
                scope = b.getMetadata().getNamespace();
            } else {
                continue;
            }
            if (subjects.stream().noneMatch(s -> s.getKind().equals("ServiceAccount") && s.getName().equals(SERVICE_ACCOUNT)
                    && OperatorFixture.SYSTEM_NS.equals(s.getNamespace()))) continue;
            List<PolicyRule> rules = objects.stream().filter(r -> r.getKind().equals(ref.getKind()) && r.getMetadata().getName().equals(ref.getName())
                            && (r instanceof ClusterRole || scope.equals(r.getMetadata().getNamespace())))
                    .findFirst().map(r -> r instanceof ClusterRole c ? c.getRules() : ((Role) r).getRules())
                    .orElseThrow(() -> new AssertionError(o.getMetadata().getName() + " binds " + ref.getName() + ", which the chart does not render"));
            for (PolicyRule rule : rules) {
                for (String group : rule.getApiGroups()) {
                    for (String resource : rule.getResources()) {
                        for (String verb : rule.getVerbs()) out.add(new Grant(scope, verb, group, resource));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void everyCallTheOperatorMadeIsAllowedByTheChartsRbac() throws IOException {
        List<String> denied = new ArrayList<>();
        for (var e : recorded.entrySet()) {
            List<Grant> grants = chartGrants(e.getKey());
            for (Access a : e.getValue()) {
                if (grants.stream().noneMatch(g -> g.allows(a))) {
                    denied.add("watchNamespaces=" + e.getKey() + ": " + a.verb() + " " + a.group() + "/" + a.resource() + " in " + a.namespace());
                }
            }
        }
        assertThat(denied).as("calls the chart's RBAC would refuse").isEmpty();
    }

    @Test
    void everyVerbTheChartGrantsIsOneTheOperatorUses() throws IOException {
        Set<String> used = recorded.values().stream().flatMap(Set::stream).map(Access::what).collect(Collectors.toCollection(TreeSet::new));
        Set<String> unused = new TreeSet<>();
        for (String mode : recorded.keySet()) {
            for (Grant g : chartGrants(mode)) {
                if (!used.contains(g.what())) unused.add(g.what() + " (" + g.scope() + ")");
            }
        }
        assertThat(unused).as("grants no recorded call needs").isEmpty();
    }
}
