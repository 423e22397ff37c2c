package io.proxplane.chart;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;

/** The manifests of one render, with the look-ups the tests need. */
record Manifests(List<JsonNode> all) {

    static Manifests parse(String rendered) {
        return new Manifests(ChartFixture.parseYamlStream(rendered));
    }

    List<JsonNode> ofKind(String kind) {
        return all.stream().filter(m -> kind.equals(m.path("kind").asText())).toList();
    }

    Optional<JsonNode> find(String kind, String name) {
        return ofKind(kind).stream().filter(m -> name.equals(m.path("metadata").path("name").asText())).findFirst();
    }

    JsonNode get(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError("no " + kind + " named " + name + " in " + names()));
    }

    /** Deployment of a component ("operator", "ldap", "edge"), by its component label. */
    Optional<JsonNode> deployment(String component) {
        return ofKind("Deployment").stream()
                .filter(d -> component.equals(d.path("metadata").path("labels").path("app.kubernetes.io/component").asText()))
                .findFirst();
    }

    JsonNode requireDeployment(String component) {
        return deployment(component).orElseThrow(() -> new AssertionError("no Deployment for component " + component));
    }

    /** Every pod template of every workload kind. */
    List<JsonNode> podTemplates() {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode m : all) {
            switch (m.path("kind").asText()) {
                case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job" -> out.add(m.path("spec").path("template"));
                case "CronJob" -> out.add(m.path("spec").path("jobTemplate").path("spec").path("template"));
                case "Pod" -> out.add(m);
                default -> { }
            }
        }
        return out;
    }

    static List<JsonNode> containers(JsonNode podTemplate) {
        List<JsonNode> out = new ArrayList<>();
        podTemplate.path("spec").path("initContainers").forEach(out::add);
        podTemplate.path("spec").path("containers").forEach(out::add);
        return out;
    }

    static Optional<String> env(JsonNode container, String name) {
        return StreamSupport.stream(container.path("env").spliterator(), false)
                .filter(e -> name.equals(e.path("name").asText()))
                .map(e -> e.path("value").asText())
                .findFirst();
    }

    static Optional<JsonNode> containerPort(JsonNode container, String name) {
        return StreamSupport.stream(container.path("ports").spliterator(), false)
                .filter(p -> name.equals(p.path("name").asText()))
                .findFirst();
    }

    List<String> names() {
        return all.stream().map(m -> m.path("kind").asText() + "/" + m.path("metadata").path("name").asText()).toList();
    }
}
