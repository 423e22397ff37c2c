package io.proxplane.pvesim.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The official Proxmox VE API schema, read in place from a file beside the project.
 *
 * <p>The schema is AGPL reference data kept outside the project (see
 * {@code shared/proxmox-api-schema/README.md}); this class only ever reads it from a path given
 * at run time, so nothing of it is compiled or packaged into proxplane.
 */
public final class PveApiSchema {

    public static final String SUBSET_FILE = "pve-api-subset-9.1.json";
    public static final String FULL_91_FILE = "pve-api-schema-9.1.json";
    public static final String FULL_84_FILE = "pve-api-schema-8.4.json";

    private final Path source;
    private final Map<String, JsonNode> methods;

    private PveApiSchema(Path source, Map<String, JsonNode> methods) {
        this.source = source;
        this.methods = Collections.unmodifiableMap(methods);
    }

    /**
     * Finds the schema directory: {@code -Dpve.schema.dir}, then {@code $PVE_SCHEMA_DIR}, then a
     * {@code shared/proxmox-api-schema} folder in the working directory or any parent of it
     * (the project checkout and {@code shared/} are siblings).
     */
    public static Optional<Path> locateDirectory() {
        String override = System.getProperty("pve.schema.dir");
        if (override == null || override.isBlank()) {
            override = System.getenv("PVE_SCHEMA_DIR");
        }
        if (override != null && !override.isBlank()) {
            return Optional.of(Path.of(override));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("proxmox-api-schema");
            if (Files.isRegularFile(candidate.resolve(SUBSET_FILE))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Loads either the flat subset file or a full tree-shaped schema file. */
    public static PveApiSchema load(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read PVE API schema " + file, e);
        }
        Map<String, JsonNode> methods = new TreeMap<>();
        if (root.isObject()) {
            root.properties().forEach(e -> methods.put(e.getKey(), e.getValue()));
        } else if (root.isArray()) {
            Deque<JsonNode> todo = new ArrayDeque<>();
            root.forEach(todo::push);
            while (!todo.isEmpty()) {
                JsonNode node = todo.pop();
                String path = node.path("path").asText();
                node.path("info").properties().forEach(e -> methods.put(e.getKey() + " " + path, e.getValue()));
                node.path("children").forEach(todo::push);
            }
        } else {
            throw new IllegalArgumentException("not a PVE API schema: " + file);
        }
        return new PveApiSchema(file, methods);
    }

    public Path source() {
        return source;
    }

    /** Every method, keyed {@code "METHOD /path/{template}"}. */
    public Map<String, JsonNode> methods() {
        return methods;
    }

    public Optional<JsonNode> method(String httpMethod, String pathTemplate) {
        return Optional.ofNullable(methods.get(httpMethod + " " + pathTemplate));
    }

    /** The declared parameters of a method (path parameters included, as in the schema). */
    public static Map<String, JsonNode> parameters(JsonNode method) {
        Map<String, JsonNode> out = new TreeMap<>();
        method.path("parameters").path("properties").properties().forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /**
     * Rewrites a Perl pattern from the schema into {@code java.util.regex} syntax, as the schema's
     * README prescribes; PVE anchors patterns itself, so callers use {@code Matcher.matches()}.
     */
    public static String javaPattern(String perlPattern) {
        return perlPattern
                .replace("(?^i:", "(?i:")
                .replace("(?^:", "(?:")
                .replace("\\0", "\\x00")
                .replace("{,", "{0,");
    }
}
