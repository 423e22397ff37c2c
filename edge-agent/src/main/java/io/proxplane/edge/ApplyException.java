package io.proxplane.edge;

/** An apply step failed; the message is what gets recorded in the registry. */
public final class ApplyException extends RuntimeException {
    public ApplyException(String message) {
        super(message);
    }

    public ApplyException(String message, Throwable cause) {
        super(message, cause);
    }
}
