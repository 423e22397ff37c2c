package io.proxplane.chart;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.StreamSupport;

import static io.proxplane.chart.ChartFixture.render;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every pod meets the "restricted" Pod Security Standard (v1.30 rules), checked field by field on
 * the rendered manifests; the one documented exception is the edge in hostNetwork mode.
 */
class SecurityContextTest {

    @Test
    void everyPodIsRestrictedWithMinimalAndWithAllFeatures() {
        for (String values : List.of("minimal", "full")) {
            Manifests m = render(values);
            assertThat(m.podTemplates()).hasSize(3);
            for (JsonNode pod : m.podTemplates()) {
                assertThat(violations(pod)).as("%s: %s", values, pod.path("metadata").path("labels")).isEmpty();
            }
        }
    }

    @Test
    void inHostNetworkModeOnlyTheEdgeLeavesTheProfileAndExactlyAsDocumented() {
        Manifests m = render("hostnetwork");
        for (String component : List.of("operator", "ldap")) {
            assertThat(violations(m.requireDeployment(component).path("spec").path("template"))).as(component).isEmpty();
        }
        JsonNode pod = m.requireDeployment("edge").path("spec").path("template");
        assertThat(violations(pod)).containsExactlyInAnyOrder(
                "hostNetwork",
                "pod runAsNonRoot is not true",
                "pod runs as uid 0",
                "edge: runAsNonRoot is not true",
                "edge: adds capabilities [CHOWN, NET_ADMIN, SETGID, SETUID]");
        JsonNode edge = Manifests.containers(pod).getFirst();
        // still: no escalation, read-only root, seccomp, everything else dropped
        assertThat(edge.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(edge.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(pod.path("spec").path("securityContext").path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
        assertThat(Manifests.env(edge, "PROXPLANE_EDGE_DNSMASQ")).contains("true");
        // one edge per node: replicas would fight over the host ports
        assertThat(pod.path("spec").path("affinity").path("podAntiAffinity").path("requiredDuringSchedulingIgnoredDuringExecution")
                .get(0).path("topologyKey").asText()).isEqualTo("kubernetes.io/hostname");
    }

    @Test
    void everyContainerHasAWritableTmpAndNothingElseWritableOutsideVolumes() {
        for (String values : List.of("minimal", "full", "hostnetwork")) {
            Manifests m = render(values);
            for (JsonNode pod : m.podTemplates()) {
                Set<String> emptyDirs = new TreeSet<>();
                pod.path("spec").path("volumes").forEach(v -> {
                    if (v.has("emptyDir")) {
                        emptyDirs.add(v.path("name").asText());
                        assertThat(v.path("emptyDir").path("sizeLimit").asText()).as("bounded emptyDir " + v).isNotEmpty();
                    }
                    assertThat(v.has("hostPath")).as("hostPath volume " + v).isFalse();
                });
                for (JsonNode c : Manifests.containers(pod)) {
                    boolean tmp = StreamSupport.stream(c.path("volumeMounts").spliterator(), false)
                            .anyMatch(vm -> vm.path("mountPath").asText().equals("/tmp") && emptyDirs.contains(vm.path("name").asText()));
                    assertThat(tmp).as("%s: %s has an emptyDir on /tmp", values, c.path("name").asText()).isTrue();
                    // the JVM must use it
                    assertThat(Manifests.env(c, "JAVA_TOOL_OPTIONS")).hasValueSatisfying(o -> assertThat(o).contains("-Djava.io.tmpdir=/tmp"));
                }
            }
        }
    }

    /** What keeps a pod out of the restricted profile; empty when it is restricted. */
    static List<String> violations(JsonNode podTemplate) {
        List<String> out = new ArrayList<>();
        JsonNode spec = podTemplate.path("spec");
        for (String host : List.of("hostNetwork", "hostPID", "hostIPC")) {
            if (spec.path(host).asBoolean(false)) {
                out.add(host);
            }
        }
        JsonNode psc = spec.path("securityContext");
        if (psc.path("sysctls").size() > 0) {
            out.add("pod sets sysctls");
        }
        if (psc.has("runAsUser") && psc.path("runAsUser").asLong() == 0) {
            out.add("pod runs as uid 0");
        }
        boolean podNonRoot = psc.path("runAsNonRoot").asBoolean(false);
        if (psc.has("runAsNonRoot") && !podNonRoot) {
            out.add("pod runAsNonRoot is not true");
        }
        String podSeccomp = psc.path("seccompProfile").path("type").asText("");
        for (JsonNode c : Manifests.containers(podTemplate)) {
            String name = c.path("name").asText();
            JsonNode sc = c.path("securityContext");
            if (sc.path("privileged").asBoolean(false)) {
                out.add(name + ": privileged");
            }
            if (sc.path("allowPrivilegeEscalation").asBoolean(true)) {
                out.add(name + ": allowPrivilegeEscalation is not false");
            }
            if (!sc.path("readOnlyRootFilesystem").asBoolean(false)) {
                out.add(name + ": root filesystem is writable");
            }
            boolean nonRoot = sc.has("runAsNonRoot") ? sc.path("runAsNonRoot").asBoolean() : podNonRoot;
            if (!nonRoot) {
                out.add(name + ": runAsNonRoot is not true");
            }
            if (sc.has("runAsUser") && sc.path("runAsUser").asLong() == 0) {
                out.add(name + ": runs as uid 0");
            }
            String seccomp = sc.path("seccompProfile").path("type").asText(podSeccomp);
            if (!Set.of("RuntimeDefault", "Localhost").contains(seccomp)) {
                out.add(name + ": seccomp profile '" + seccomp + "'");
            }
            Set<String> dropped = new TreeSet<>();
            sc.path("capabilities").path("drop").forEach(d -> dropped.add(d.asText()));
            if (!dropped.contains("ALL")) {
                out.add(name + ": does not drop ALL capabilities");
            }
            Set<String> added = new TreeSet<>();
            sc.path("capabilities").path("add").forEach(a -> added.add(a.asText()));
            added.remove("NET_BIND_SERVICE"); // the only one the profile allows
            if (!added.isEmpty()) {
                out.add(name + ": adds capabilities " + added);
            }
            c.path("ports").forEach(p -> {
                if (p.has("hostPort")) {
                    out.add(name + ": hostPort " + p.path("hostPort").asText());
                }
            });
        }
        return out;
    }
}
