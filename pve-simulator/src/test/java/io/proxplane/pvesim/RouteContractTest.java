package io.proxplane.pvesim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxplane.pvesim.api.ParamSpec;
import io.proxplane.pvesim.api.RouteSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Compares the hand-written route table with the official PVE 9.1 schema, read in place from the
 * shared reference folder (never copied into the project).
 */
class RouteContractTest {
    static final Path SCHEMA = Path.of("/work/shared/proxmox-api-schema/pve-api-subset-9.1.json");

    @Test
    void everyServedRouteMatchesTheSchema() throws Exception {
        Assumptions.assumeTrue(Files.exists(SCHEMA), "reference schema not available");
        JsonNode schema = SimClient.JSON.readTree(SCHEMA.toFile());
        List<String> problems = new ArrayList<>();
        for (RouteSpec r : PveSimulator.routes()) {
            String key = r.method() + " " + r.pathTemplate();
            JsonNode m = schema.get(key);
            if (m == null) {
                problems.add(key + ": not in schema");
                continue;
            }
            if (r.protectedFlag() != (m.path("protected").asInt(0) == 1)) problems.add(key + ": protected differs");
            if (r.allowToken() != (m.path("allowtoken").asInt(1) == 1)) problems.add(key + ": allowtoken differs");
            compare(key, r.parameters(), m.path("parameters").path("properties"), problems);
        }
        assertThat(problems).isEmpty();
    }

    private static void compare(String where, List<ParamSpec> specs, JsonNode props, List<String> problems) {
        Map<String, ParamSpec> byName = new TreeMap<>();
        specs.forEach(s -> byName.put(s.name(), s));
        for (Iterator<String> it = props.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            JsonNode p = props.get(name);
            ParamSpec s = byName.remove(name);
            String w = where + " " + name;
            if (s == null) {
                problems.add(w + ": missing");
                continue;
            }
            eq(problems, w, "type", s.type().name().toLowerCase(), p.path("type").asText());
            eq(problems, w, "optional", s.optional(), p.path("optional").asInt(0) == 1);
            eq(problems, w, "format", s.format(), p.path("format").isTextual() ? p.path("format").asText() : null);
            eq(problems, w, "pattern", s.pattern(), p.has("pattern") ? javaPattern(p.path("pattern").asText()) : null);
            List<String> en = new ArrayList<>();
            p.path("enum").forEach(x -> en.add(x.asText()));
            eq(problems, w, "enum", s.enumValues(), en);
            eq(problems, w, "minimum", num(s.minimum()), p.has("minimum") ? p.path("minimum").asDouble() : null);
            eq(problems, w, "maximum", num(s.maximum()), p.has("maximum") ? p.path("maximum").asDouble() : null);
            eq(problems, w, "minLength", s.minLength(), p.has("minLength") ? p.path("minLength").asInt() : null);
            eq(problems, w, "maxLength", s.maxLength(), p.has("maxLength") ? p.path("maxLength").asInt() : null);
            eq(problems, w, "requires", s.requires(), p.has("requires") ? p.path("requires").asText() : null);
            eq(problems, w, "default_key", s.defaultKey(), p.path("default_key").asInt(0) == 1);
            if (p.path("format").isObject()) compare(w, s.propertyKeys(), p.path("format"), problems);
            else if (!s.propertyKeys().isEmpty()) problems.add(w + ": has property keys, schema has none");
        }
        byName.keySet().forEach(n -> problems.add(where + " " + n + ": not in schema"));
    }

    private static Double num(Number n) {
        return n == null ? null : n.doubleValue();
    }

    static String javaPattern(String perl) {
        return perl.replace("(?^:", "(?:").replace("(?^i:", "(?i:").replace("\\0", "\\x00").replace("{,", "{0,");
    }

    private static void eq(List<String> problems, String where, String what, Object mine, Object theirs) {
        if (!java.util.Objects.equals(mine, theirs)) problems.add(where + ": " + what + " " + mine + " != " + theirs);
    }
}
