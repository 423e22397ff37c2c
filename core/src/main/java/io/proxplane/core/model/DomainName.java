package io.proxplane.core.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A fully qualified domain name in lower case, without the trailing dot: one or more
 * {@link DnsLabel}s joined by '.', at most 253 characters (RFC 1035's 255-octet wire limit).
 * A single trailing dot in the input is accepted and dropped.
 */
public record DomainName(String value) implements Comparable<DomainName> {

    static final String RULE = "must be a domain name of dot-separated DNS labels (each 1-63 characters [a-z0-9-], "
            + "not starting or ending with '-'), at most 253 characters";

    public DomainName {
        value = check("domainName", value);
    }

    public static DomainName of(String field, String raw) {
        return new DomainName(check(field, raw));
    }

    static String check(String field, String raw) {
        ValidationException.require(field, raw);
        int end = raw.endsWith(".") ? raw.length() - 1 : raw.length();
        if (end < 1 || end > 253) {
            throw ValidationException.got(field, RULE, raw);
        }
        StringBuilder out = new StringBuilder(end);
        int start = 0;
        while (start <= end) {
            int dot = raw.indexOf('.', start);
            int labelEnd = dot < 0 || dot > end ? end : dot;
            String label = DnsLabel.normalize(raw, start, labelEnd);
            if (label == null) {
                throw ValidationException.got(field, RULE, raw);
            }
            if (!out.isEmpty()) {
                out.append('.');
            }
            out.append(label);
            start = labelEnd + 1;
        }
        return out.toString();
    }

    /** {@code label.this}, e.g. the FQDN of a container in the site's internal domain. */
    public DomainName child(DnsLabel label) {
        return new DomainName(label.value() + "." + value);
    }

    public List<DnsLabel> labels() {
        List<DnsLabel> labels = new ArrayList<>();
        for (String part : value.split("\\.")) {
            labels.add(new DnsLabel(part));
        }
        return List.copyOf(labels);
    }

    /** True when this name equals {@code other} or lies below it. */
    public boolean isWithin(DomainName other) {
        return value.equals(other.value) || value.endsWith("." + other.value);
    }

    @Override
    public int compareTo(DomainName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
