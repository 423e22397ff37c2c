package io.proxplane.operator.mapping;

/**
 * A custom resource the engine cannot accept, with the path of the offending field as the user
 * wrote it ({@code spec.http.hostname}, {@code metadata.name}). Becomes {@code Ready=False InvalidSpec}.
 */
public final class InvalidSpecException extends RuntimeException {
    private final String field;
    private final String reason;

    public InvalidSpecException(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
        this.reason = reason;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}
