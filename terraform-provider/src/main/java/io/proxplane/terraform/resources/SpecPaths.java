package io.proxplane.terraform.resources;

import io.proxplane.core.model.ValidationException;
import io.proxplane.terraform.diag.AttributePath;
import io.proxplane.terraform.diag.Diagnostics;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that maps the engine spec records' field names to attribute paths: a spec field
 * {@code http.backendProtocol} is the attribute {@code http.backend_protocol}, {@code sshKeys[2]}
 * is {@code ssh_keys[2]}, {@code env.HOME} is {@code env["HOME"]}. Attribute names are the record
 * components in snake_case; a resource lists only the exceptions (block names in the singular,
 * e.g. {@code proxmoxEndpoints} -> {@code proxmox_endpoint}).
 */
public final class SpecPaths {

    private static final Pattern SEGMENT = Pattern.compile("([A-Za-z0-9_]+)((?:\\[\\d+])*)");
    private static final Pattern INDEX = Pattern.compile("\\[(\\d+)]");

    private final AttributePath prefix;
    private final Map<String, String> renames;
    private final Set<String> maps;

    /**
     * @param renames spec field name -> attribute name where snake_case is not the rule
     * @param maps    attribute names of map type: the next field segment is a key
     */
    public SpecPaths(AttributePath prefix, Map<String, String> renames, Set<String> maps) {
        this.prefix = prefix;
        this.renames = Map.copyOf(renames);
        this.maps = Set.copyOf(maps);
    }

    public static SpecPaths of(Map<String, String> renames, String... maps) {
        return new SpecPaths(AttributePath.ROOT, renames, Set.of(maps));
    }

    public SpecPaths under(AttributePath p) {
        return new SpecPaths(p, renames, maps);
    }

    public static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    public AttributePath path(String field) {
        AttributePath p = prefix;
        boolean key = false;
        for (String seg : field.split("\\.")) {
            if (key) {
                p = p.key(seg);
                key = false;
                continue;
            }
            Matcher m = SEGMENT.matcher(seg);
            if (!m.matches()) {
                return p;
            }
            String name = renames.getOrDefault(m.group(1), snake(m.group(1)));
            if (!name.isEmpty()) { // "" = the segment is the block the prefix already names
                p = p.attribute(name);
            }
            Matcher i = INDEX.matcher(m.group(2));
            while (i.find()) {
                p = p.index(Long.parseLong(i.group(1)));
            }
            key = maps.contains(name);
        }
        return p;
    }

    /** Runs a spec constructor; a refusal becomes an error on the attribute, and null is returned. */
    public <T> T build(Diagnostics d, Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (ValidationException e) {
            String attr = path(e.field()).toString();
            d.error(path(e.field()), "Invalid " + attr, attr + " " + e.reason() + ".");
            return null;
        }
    }
}
