package io.proxplane.core.model;

/**
 * An absolute file-system path that is written into a config file (TLS certificates and keys,
 * runtime directories, modules): characters {@code [A-Za-z0-9._/+@-]} only, no '..' segment,
 * at most 1024 characters. Narrower than POSIX on purpose: such a path needs no quoting anywhere.
 */
public record ConfigPath(String value) implements Comparable<ConfigPath> {

    static final String RULE = "must be an absolute path of [A-Za-z0-9._/+@-] without '..' segments, at most 1024 characters";

    public ConfigPath {
        value = check("path", value);
    }

    public static ConfigPath of(String field, String raw) {
        return new ConfigPath(check(field, raw));
    }

    static String check(String field, String raw) {
        ValidationException.require(field, raw);
        boolean ok = !raw.isEmpty() && raw.length() <= 1024 && raw.charAt(0) == '/';
        for (int i = 0; ok && i < raw.length(); i++) {
            char c = raw.charAt(i);
            ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "._/+@-".indexOf(c) >= 0;
        }
        if (ok) {
            for (String segment : raw.split("/")) {
                if (segment.equals("..")) {
                    ok = false;
                    break;
                }
            }
        }
        if (!ok) {
            throw ValidationException.got(field, RULE, raw);
        }
        return raw;
    }

    /** {@code this/name} where name is a single validated path segment. */
    public ConfigPath resolve(String name) {
        return ConfigPath.of("path", value.endsWith("/") ? value + name : value + "/" + name);
    }

    @Override
    public int compareTo(ConfigPath other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
