package io.proxplane.core.model;

import java.util.Locale;

/**
 * An HTTP header name that nginx can both set and read back as a variable: letters, digits and
 * '-', 1-64 characters, starting with a letter (e.g. {@code X-User-ID}).
 */
public record HeaderName(String value) implements Comparable<HeaderName> {

    static final String RULE = "must be an HTTP header name of 1-64 characters [A-Za-z0-9-] starting with a letter";

    public HeaderName {
        value = check("headerName", value);
    }

    public static HeaderName of(String field, String raw) {
        return new HeaderName(check(field, raw));
    }

    static String check(String field, String raw) {
        ValidationException.require(field, raw);
        boolean ok = !raw.isEmpty() && raw.length() <= 64 && Character.isLetter(raw.charAt(0)) && raw.charAt(0) < 0x80;
        for (int i = 0; ok && i < raw.length(); i++) {
            char c = raw.charAt(i);
            ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
        }
        if (!ok) {
            throw ValidationException.got(field, RULE, raw);
        }
        return raw;
    }

    /** The suffix nginx uses for this header in variables: lower case, '-' as '_'. */
    public String variableSuffix() {
        return value.toLowerCase(Locale.ROOT).replace('-', '_');
    }

    @Override
    public int compareTo(HeaderName other) {
        return value.compareToIgnoreCase(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
