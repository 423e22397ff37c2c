package io.proxplane.core.engine.spec;

import io.proxplane.core.model.DnsLabel;
import io.proxplane.core.model.ValidationException;

import java.util.regex.Pattern;

/** Field checks shared by the spec records; every failure names the field path. */
final class Check {
    static final Pattern POSIX_NAME = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
    static final Pattern ROLE = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");

    private Check() {}

    static <T> T required(String field, T value) {
        if (value == null) {
            throw new ValidationException(field, "is required");
        }
        return value;
    }

    static String label(String field, String raw) {
        return DnsLabel.of(field, raw).value();
    }

    static String posixName(String field, String raw) {
        required(field, raw);
        if (!POSIX_NAME.matcher(raw).matches()) {
            throw new ValidationException(field, "must be 1-32 characters [a-z0-9_-], starting with a letter or '_'");
        }
        return raw;
    }

    static long range(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new ValidationException(field, "must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    /**
     * A value that ends up in a Proxmox config line, a header or a rendered config: bounded, and
     * without control characters (a newline would start a new config line, NUL ends a C string).
     */
    static String singleLine(String field, String raw, int max) {
        if (raw == null) {
            return null;
        }
        if (raw.length() > max) {
            throw new ValidationException(field, "must be at most " + max + " characters, got " + raw.length());
        }
        for (int i = 0; i < raw.length(); i++) {
            char ch = raw.charAt(i);
            if (ch < 0x20 || ch == 0x7f) {
                throw new ValidationException(field, "must be one line without control characters (newline, tab, NUL, ...);"
                        + " found " + ValidationException.show(String.valueOf(ch)) + " at position " + i);
            }
        }
        return raw;
    }

    static void atMost(String field, java.util.Collection<?> values, int max, String what) {
        if (values.size() > max) {
            throw new ValidationException(field, "at most " + max + " " + what + ", got " + values.size());
        }
    }
}
