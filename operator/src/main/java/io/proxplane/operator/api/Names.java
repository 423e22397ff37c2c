package io.proxplane.operator.api;

/**
 * Patterns shared by the schemas. They are the OpenAPI side of the engine's checks (the engine
 * validates again, with field names, so a value that slips past the schema still gets a clear
 * {@code Ready=False InvalidSpec}).
 */
public final class Names {
    public static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$";
    public static final String POSIX_NAME = "^[a-z_][a-z0-9_-]{0,31}$";
    public static final String HTTP_URL = "^https?://[^\\s/$;\"'{}]+(/[^\\s$;\"'{}?#]*)?$";
    public static final String PATH = "^/[A-Za-z0-9_./-]*$";
    public static final String MAIL = "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$";
    public static final String SSH_KEY =
            "^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp(256|384|521)|sk-[a-z0-9@.-]+) [A-Za-z0-9+/=]+( [^\\r\\n]*)?$";

    private Names() {
    }
}
