package io.proxplane.operator.crd;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fabric8 mock server does not run OpenAPI or CEL validation, so the committed CRDs are checked
 * here: the validations that refuse bad input at {@code kubectl apply} exist, CEL rules stay within
 * what a Kubernetes 1.25 API server offers, the examples pass the schema and bad input fails it at
 * the field a user would look at.
 */
class CrdSchemaTest {
    static final Map<String, JsonNode> CRDS = CrdFiles.crds();
    static final Map<String, JsonNode> SCHEMAS = CrdFiles.schemas();

    /**
     * CEL available on a 1.25 API server: the standard macros and functions plus the Kubernetes
     * list and regex libraries. Not the URL library's isURL/url, the IP/CIDR, quantity or format
     * libraries, nor optional types, all of which came later.
     */
    static final Set<String> CEL_1_25 = Set.of("has", "size", "matches", "contains", "startsWith", "endsWith", "all",
            "exists", "exists_one", "map", "filter", "int", "uint", "double", "string", "bool", "type", "duration",
            "timestamp", "isSorted", "sum", "min", "max", "indexOf", "lastIndexOf", "find", "findAll");

    @Test
    void everyKindHasStatusShortNamesAndReadyColumn() {
        assertThat(CRDS.keySet()).containsExactlyInAnyOrder("Site", "ExternalDomain", "Container", "ContainerService", "Pool",
                "User", "Group", "DirectoryServiceAccount");
        CRDS.forEach((kind, crd) -> {
            JsonNode version = crd.at("/spec/versions/0");
            assertThat(crd.at("/spec/group").asText()).isEqualTo("proxplane.io");
            assertThat(version.at("/name").asText()).isEqualTo("v1alpha1");
            assertThat(version.at("/subresources/status").isObject()).as(kind + " status subresource").isTrue();
            assertThat(crd.at("/spec/names/shortNames").size()).as(kind + " short names").isPositive();
            assertThat(columns(crd)).as(kind + " columns").contains("Ready", "Age");
        });
        assertThat(columns(CRDS.get("Container"))).contains("Node", "IP", "State", "Age");
        assertThat(CRDS.get("Container").at("/spec/scope").asText()).isEqualTo("Namespaced");
        assertThat(CRDS.get("ContainerService").at("/spec/scope").asText()).isEqualTo("Namespaced");
        assertThat(CRDS.get("Pool").at("/spec/scope").asText()).isEqualTo("Namespaced");
        for (String k : List.of("Site", "ExternalDomain", "User", "Group", "DirectoryServiceAccount")) {
            assertThat(CRDS.get(k).at("/spec/scope").asText()).as(k).isEqualTo("Cluster");
        }
    }

    @Test
    void importantFieldsCarryTheirValidation() {
        JsonNode ct = SCHEMAS.get("Container").at("/properties/spec");
        assertThat(texts(ct.get("required"))).contains("site", "image");
        assertThat(ct.at("/properties/image/pattern").asText()).contains("vztmpl");
        assertThat(ct.at("/properties/memoryMb/minimum").asInt()).isEqualTo(16);
        assertThat(ct.at("/properties/cores/maximum").asInt()).isEqualTo(1024);
        assertThat(texts(ct.at("/properties/powerState/enum"))).containsExactly("Running", "Stopped");
        assertThat(rules(ct.at("/properties/site"))).contains("self == oldSelf");
        assertThat(ct.at("/properties/sshKeys/items/pattern").asText()).startsWith("^(ssh-");

        JsonNode svc = SCHEMAS.get("ContainerService").at("/properties/spec");
        assertThat(rules(svc)).anyMatch(r -> r.contains("has(self.http)") && r.endsWith("== 1"));
        assertThat(svc.at("/properties/tcp/properties/externalPort/minimum").asInt()).isEqualTo(2000);
        assertThat(texts(svc.at("/properties/http/required"))).contains("hostname", "domain", "internalPort");

        JsonNode site = SCHEMAS.get("Site").at("/properties/spec");
        assertThat(texts(site.get("required"))).contains("dnsDomain", "networkCidr", "gateway", "proxmoxEndpoints");
        assertThat(site.at("/properties/proxmoxEndpoints/minItems").asInt()).isEqualTo(1);
        assertThat(site.at("/properties/proxmoxEndpoints/items/properties/url/pattern").asText()).startsWith("^https://");
        assertThat(rules(site)).contains("has(self.dhcpStart) == has(self.dhcpEnd)");

        JsonNode pool = SCHEMAS.get("Pool").at("/properties/spec");
        assertThat(rules(pool.at("/properties/aclGrants/items"))).contains("has(self.group) != has(self.user)");
        assertThat(SCHEMAS.get("User").at("/properties/spec/properties/mail/pattern").asText()).contains("@");
        assertThat(SCHEMAS.get("Group").at("/properties/spec/properties/gid/minimum").asInt()).isEqualTo(1000);
        for (String k : List.of("Site", "Container", "ContainerService", "Pool")) {
            assertThat(rules(SCHEMAS.get(k))).as(k + " name rule").contains("size(self.metadata.name) <= 63 && !self.metadata.name.contains('.')");
        }
    }

    @Test
    void everyKindRequiresItsSpec() {
        SCHEMAS.forEach((kind, schema) -> assertThat(texts(schema.path("required"))).as(kind).contains("spec"));
    }

    @Test
    void envValuesAreSingleLinesAndTheirNamesPosix() {
        JsonNode env = SCHEMAS.get("Container").at("/properties/spec/properties/env");
        assertThat(env.at("/additionalProperties/pattern").asText()).isEqualTo("^[^\\x00-\\x1f\\x7f]*$");
        JsonNode ok = CrdFiles.YAML.valueToTree(Map.of("spec", Map.of("site", "lab", "image", "docker.io/library/nginx:1.27",
                "env", Map.of("GREETING", "hello world, tabs\u00e9 and unicode ok"))));
        assertThat(StructuralSchema.validate(SCHEMAS.get("Container"), ok)).isEmpty();
    }

    /** `kubectl explain` shows each field's description: every field of spec and status has one. */
    @Test
    void everyFieldIsDescribed() {
        List<String> missing = new ArrayList<>();
        SCHEMAS.forEach((kind, schema) -> {
            for (String top : List.of("spec", "status")) described(kind + "." + top, schema.at("/properties/" + top), missing);
        });
        assertThat(missing).as("fields without a description").isEmpty();
    }

    static void described(String path, JsonNode node, List<String> missing) {
        if (node.path("description").asText().isBlank()) missing.add(path);
        node.path("properties").fields().forEachRemaining(e -> described(path + "." + e.getKey(), e.getValue(), missing));
        // list items and map values: their own fields need descriptions, the element is the field's
        for (String inner : List.of("items", "additionalProperties")) {
            node.path(inner).path("properties").fields().forEachRemaining(e -> described(path + "[]." + e.getKey(), e.getValue(), missing));
        }
    }

    /** A printer column shows a scalar: a list or object would print as JSON ({@code ["pve1","pve2"]}). */
    @Test
    void printerColumnsPointAtScalarsOfTheirType() {
        CRDS.forEach((kind, crd) -> crd.at("/spec/versions/0/additionalPrinterColumns").forEach(c -> {
            String path = c.get("jsonPath").asText();
            if (path.contains("[") || path.startsWith(".metadata")) return; // filters, and metadata (not in the schema)
            JsonNode property = SCHEMAS.get(kind);
            for (String part : path.substring(1).split("\\.")) property = property.path("properties").path(part);
            assertThat(property.path("type").asText()).as(kind + " column " + c.get("name").asText() + " (" + path + ")")
                    .isEqualTo(c.get("type").asText());
        }));
    }

    /** The User STATUS column shows the account status also when the spec leaves it out (the schema default). */
    @Test
    void theUserStatusColumnHasAValueByDefault() {
        JsonNode crd = CRDS.get("User");
        String path = null;
        for (JsonNode c : crd.at("/spec/versions/0/additionalPrinterColumns")) {
            if (c.get("name").asText().equals("Status")) path = c.get("jsonPath").asText();
        }
        assertThat(path).isEqualTo(".spec.status");
        assertThat(SCHEMAS.get("User").at("/properties/spec/properties/status/default").asText()).isEqualTo("Active");
    }

    @Test
    void celRulesUseOnlyWhatKubernetes125Offers() {
        Pattern call = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*\\(");
        List<JsonNode> all = new ArrayList<>();
        SCHEMAS.values().forEach(s -> collect(s, all));
        assertThat(all).hasSizeGreaterThan(10);
        for (JsonNode v : all) {
            // reason, fieldPath (1.28), messageExpression (1.27) and optionalOldSelf (1.29) would be refused or dropped
            assertThat(iterable(v.fieldNames())).as(v.toString()).containsOnly("rule", "message");
            Matcher m = call.matcher(v.get("rule").asText());
            while (m.find()) assertThat(CEL_1_25).as("CEL function in " + v.get("rule").asText()).contains(m.group(1));
        }
    }

    @Test
    void theExamplesPassTheSchema() throws IOException {
        Path dir = CrdFiles.ROOT.resolve("examples/kubernetes");
        int checked = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (JsonNode doc : CrdFiles.YAML.readValues(CrdFiles.YAML.createParser(p.toFile()), JsonNode.class).readAll()) {
                    JsonNode schema = SCHEMAS.get(doc.path("kind").asText());
                    if (schema == null || !doc.path("apiVersion").asText().startsWith("proxplane.io/")) continue;
                    assertThat(StructuralSchema.validate(schema, doc)).as(p.getFileName() + " " + doc.at("/metadata/name")).isEmpty();
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(12);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "Container|{spec: {site: lab, image: 'docker.io/library/nginx:1.27', memoryMb: 8}}|spec.memoryMb: less than the minimum 16",
            "Container|{spec: {site: lab, image: 'nginx'}}|spec.image: does not match",
            "Container|{spec: {image: 'docker.io/library/nginx:1.27'}}|spec.site: required",
            "Container|{spec: {site: lab, image: 'docker.io/library/nginx:1.27', powerState: Paused}}|spec.powerState: must be one of",
            "Container|{spec: {site: Lab_1, image: 'docker.io/library/nginx:1.27'}}|spec.site: does not match",
            "Container|{spec: {site: lab, image: 'docker.io/library/nginx:1.27', memory: 512}}|spec.memory: unknown field",
            "Container|{spec: {site: lab, image: 'docker.io/library/nginx:1.27', sshKeys: ['not a key']}}|spec.sshKeys[0]: does not match",
            "ContainerService|{spec: {container: web1, tcp: {internalPort: 70000}}}|spec.tcp.internalPort: more than the maximum 65535",
            "ContainerService|{spec: {container: web1, tcp: {internalPort: 22, externalPort: 80}}}|spec.tcp.externalPort: less than the minimum 2000",
            "ContainerService|{spec: {container: web1, http: {hostname: www, internalPort: 80}}}|spec.http.domain: required",
            "ContainerService|{spec: {container: web1, http: {hostname: www, domain: example.com, internalPort: 80, backendProtocol: ftp}}}|spec.http.backendProtocol: must be one of",
            "Site|{spec: {dnsDomain: lab.internal, networkCidr: 10.20.0.0/33, gateway: 10.20.0.1, proxmoxEndpoints: []}}|spec.networkCidr: does not match",
            "Site|{spec: {dnsDomain: lab.internal, networkCidr: 10.20.0.0/24, gateway: 10.20.0.1, proxmoxEndpoints: []}}|spec.proxmoxEndpoints: at least 1 items",
            "Site|{spec: {dnsDomain: lab.internal, networkCidr: 10.20.0.0/24, gateway: 10.20.0.1, proxmoxEndpoints: [{url: 'http://pve:8006', credentialsSecretRef: {name: t}}]}}|spec.proxmoxEndpoints[0].url: does not match",
            "User|{spec: {mail: not-an-address}}|spec.mail: does not match",
            "User|{spec: {twoFactorMode: Sms}}|spec.twoFactorMode: must be one of",
            "Group|{spec: {gid: 10}}|spec.gid: less than the minimum 1000",
            "Group|{spec: {members: [Alice]}}|spec.members[0]: does not match",
            "Pool|{spec: {quotas: {maxCores: -1}}}|spec.quotas.maxCores: less than the minimum 0",
            "Pool|{spec: {aclGrants: [{group: devs}]}}|spec.aclGrants[0].role: required",
            "ExternalDomain|{spec: {authServerUrl: 'ftp://auth'}}|spec.authServerUrl: does not match",
            "Container|{spec: {site: lab, image: 'docker.io/library/nginx:1.27', env: {GREETING: \"hello\\nworld\"}}}|spec.env.GREETING: does not match",
            "Container|{spec: {site: lab, image: 'docker.io/library/nginx:1.27', env: {BELL: \"\\a\"}}}|spec.env.BELL: does not match",
            "Container|{metadata: {name: web1}}|spec: required",
            "User|{metadata: {name: alice}}|spec: required",
    })
    void badInputIsRefusedAtTheField(String kind, String yaml, String expected) throws IOException {
        JsonNode doc = CrdFiles.YAML.readTree(yaml);
        assertThat(StructuralSchema.validate(SCHEMAS.get(kind), doc)).anyMatch(e -> e.startsWith(expected));
    }

    static List<String> columns(JsonNode crd) {
        List<String> out = new ArrayList<>();
        crd.at("/spec/versions/0/additionalPrinterColumns").forEach(c -> out.add(c.get("name").asText()));
        return out;
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static List<String> rules(JsonNode schema) {
        List<String> out = new ArrayList<>();
        schema.path("x-kubernetes-validations").forEach(v -> out.add(v.get("rule").asText()));
        return out;
    }

    static void collect(JsonNode node, List<JsonNode> out) {
        if (node.isObject()) {
            node.path("x-kubernetes-validations").forEach(out::add);
            node.fields().forEachRemaining(e -> {
                if (!e.getKey().equals("x-kubernetes-validations")) collect(e.getValue(), out);
            });
        } else if (node.isArray()) {
            node.forEach(n -> collect(n, out));
        }
    }

    static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
