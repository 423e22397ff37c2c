package io.proxplane.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.proxplane.chart.ChartFixture.render;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every field the chart renders exists in the Kubernetes API (fabric8's model of it): a misspelt
 * or misplaced field would otherwise pass `helm template` and fail only on a real API server.
 * The manifest is read into its typed model, written back without the model's catch-all
 * "additionalProperties", and every field of the original must have survived.
 */
class ApiModelTest {

    private static final Map<String, Class<?>> MODELS = Map.ofEntries(
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("rbac.authorization.k8s.io/v1/ClusterRole", ClusterRole.class),
            Map.entry("rbac.authorization.k8s.io/v1/ClusterRoleBinding", ClusterRoleBinding.class),
            Map.entry("rbac.authorization.k8s.io/v1/Role", Role.class),
            Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("apiextensions.k8s.io/v1/CustomResourceDefinition", CustomResourceDefinition.class));

    /** Kinds of other projects (Prometheus Operator, cert-manager): not in the Kubernetes API model. */
    private static final Set<String> FOREIGN = Set.of("monitoring.coreos.com/v1/ServiceMonitor",
            "monitoring.coreos.com/v1/PrometheusRule", "cert-manager.io/v1/Certificate");

    private static final ObjectMapper READ = JsonMapper.builder().build();
    private static final ObjectMapper WRITE_KNOWN_ONLY = JsonMapper.builder()
            .annotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnyGetter(Annotated a) {
                    return Boolean.FALSE;
                }
            }).build();

    @Test
    void everyRenderedFieldIsAFieldOfTheKubernetesApi() throws Exception {
        for (String values : List.of("minimal", "full", "hostnetwork")) {
            for (JsonNode manifest : render(values).all()) {
                String type = manifest.path("apiVersion").asText() + "/" + manifest.path("kind").asText();
                if (FOREIGN.contains(type)) {
                    continue;
                }
                Class<?> model = MODELS.get(type);
                assertThat(model).as("%s: a kind the chart renders needs a model here", type).isNotNull();
                JsonNode known = WRITE_KNOWN_ONLY.valueToTree(READ.treeToValue(manifest, model));
                List<String> unknown = new ArrayList<>();
                missing(manifest, known, "", unknown);
                assertThat(unknown).as("%s %s (%s values): fields the Kubernetes API does not have", type,
                        manifest.path("metadata").path("name").asText(), values).isEmpty();
            }
        }
    }

    @Test
    void theCheckSeesAMisspeltField() throws Exception {
        JsonNode manifest = ChartFixture.parseYamlStream("""
                apiVersion: v1
                kind: Service
                metadata: {name: x}
                spec:
                  sessionAffinty: ClientIP
                  ports: [{port: 1, targetPort: http}]
                """).getFirst();
        JsonNode known = WRITE_KNOWN_ONLY.valueToTree(READ.treeToValue(manifest, Service.class));
        List<String> unknown = new ArrayList<>();
        missing(manifest, known, "", unknown);
        assertThat(unknown).containsExactly("/spec/sessionAffinty");
    }

    /** Paths of the original that did not survive the round trip through the typed model. */
    private static void missing(JsonNode original, JsonNode known, String path, List<String> out) {
        if (original.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = original.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String p = path + "/" + e.getKey();
                JsonNode k = known.path(e.getKey());
                if (k.isMissingNode() || k.isNull()) {
                    // the model drops empty collections; an empty value carries no field to lose
                    if (!(e.getValue().isContainerNode() && e.getValue().isEmpty())) {
                        out.add(p);
                    }
                } else if (!isFreeForm(e.getKey(), e.getValue())) {
                    missing(e.getValue(), k, p, out);
                }
            }
        } else if (original.isArray()) {
            for (int i = 0; i < original.size(); i++) {
                missing(original.get(i), known.path(i), path + "/" + i, out);
            }
        }
    }

    /** Maps whose keys are data, not fields (labels, selectors, CRD schemas...). */
    private static boolean isFreeForm(String key, JsonNode value) {
        if (key.equals("selector")) {
            // a Service's selector is a label map; a workload's is a LabelSelector with fields
            return !value.has("matchLabels") && !value.has("matchExpressions");
        }
        return Set.of("labels", "annotations", "matchLabels", "nodeSelector", "openAPIV3Schema").contains(key);
    }
}
