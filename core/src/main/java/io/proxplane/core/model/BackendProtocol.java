package io.proxplane.core.model;

import java.util.Locale;

/** How nginx talks to an HTTP service's backend inside the container. */
public enum BackendProtocol {
    HTTP, HTTPS;

    public String scheme() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BackendProtocol of(String field, String raw) {
        ValidationException.require(field, raw);
        return switch (raw) {
            case "http", "HTTP" -> HTTP;
            case "https", "HTTPS" -> HTTPS;
            default -> throw ValidationException.got(field, "must be 'http' or 'https'", raw);
        };
    }
}
