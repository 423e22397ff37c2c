package io.proxplane.core.model;

/**
 * One DNS label (RFC 1035 / RFC 1123 host name rules): 1-63 characters of {@code [a-z0-9-]}, not
 * starting or ending with '-'. ASCII upper case is folded to lower case; anything else (including
 * Unicode look-alikes) is refused, so the value is safe as a bare token in nginx and dnsmasq files.
 * Used for container host names, node names and the host part of HTTP services.
 */
public record DnsLabel(String value) implements Comparable<DnsLabel> {

    static final String RULE = "must be a DNS label of 1-63 characters [a-z0-9-], not starting or ending with '-'";

    public DnsLabel {
        value = check("dnsLabel", value);
    }

    public static DnsLabel of(String field, String raw) {
        return new DnsLabel(check(field, raw));
    }

    static String check(String field, String raw) {
        ValidationException.require(field, raw);
        String normalized = normalize(raw, 0, raw.length());
        if (normalized == null) {
            throw ValidationException.got(field, RULE, raw);
        }
        return normalized;
    }

    /** Lower-cased label for {@code raw[from, to)}, or null when it is not a valid label. */
    static String normalize(String raw, int from, int to) {
        int length = to - from;
        if (length < 1 || length > 63 || raw.charAt(from) == '-' || raw.charAt(to - 1) == '-') {
            return null;
        }
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            char c = raw.charAt(from + i);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                return null;
            }
            out[i] = c;
        }
        return new String(out);
    }

    @Override
    public int compareTo(DnsLabel other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
