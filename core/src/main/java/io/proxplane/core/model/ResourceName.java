package io.proxplane.core.model;

/**
 * A registry or front-door identifier such as {@code k8s:team-a/web} or {@code terraform:prod}:
 * 1-253 characters {@code [A-Za-z0-9._:/-]}. Rendered only into comments, where these characters
 * cannot end the comment or start a directive.
 */
public record ResourceName(String value) implements Comparable<ResourceName> {

    static final String RULE = "must be 1-253 characters [A-Za-z0-9._:/-]";

    public ResourceName {
        value = check("name", value);
    }

    public static ResourceName of(String field, String raw) {
        return new ResourceName(check(field, raw));
    }

    static String check(String field, String raw) {
        ValidationException.require(field, raw);
        boolean ok = !raw.isEmpty() && raw.length() <= 253;
        for (int i = 0; ok && i < raw.length(); i++) {
            char c = raw.charAt(i);
            ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "._:/-".indexOf(c) >= 0;
        }
        if (!ok) {
            throw ValidationException.got(field, RULE, raw);
        }
        return raw;
    }

    @Override
    public int compareTo(ResourceName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
