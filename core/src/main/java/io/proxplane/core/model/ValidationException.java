package io.proxplane.core.model;

import java.util.Objects;

/**
 * Bad input at the model boundary. Carries the path of the offending field (as the user wrote it,
 * e.g. {@code spec.http.hostname}) and a reason a person can act on.
 */
public final class ValidationException extends IllegalArgumentException {

    private final String field;
    private final String reason;

    public ValidationException(String field, String reason) {
        super("field \"" + field + "\": " + reason);
        this.field = Objects.requireNonNull(field, "field");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }

    /** The same problem reported under another field path (e.g. when a factory is reused). */
    public ValidationException withField(String newField) {
        return new ValidationException(newField, reason);
    }

    /**
     * Shows a rejected value safely inside an error message: control characters and non-ASCII are
     * escaped and long values are cut, so the message itself cannot smuggle lines into logs.
     */
    public static String show(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), 80) + 2).append('\'');
        int limit = Math.min(value.length(), 64);
        for (int i = 0; i < limit; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (value.length() > limit) {
            out.append("...(").append(value.length()).append(" chars)");
        }
        return out.append('\'').toString();
    }

    static ValidationException got(String field, String reason, String value) {
        return new ValidationException(field, reason + "; got " + show(value));
    }

    static String require(String field, String value) {
        if (value == null) {
            throw new ValidationException(field, "is required");
        }
        return value;
    }
}
