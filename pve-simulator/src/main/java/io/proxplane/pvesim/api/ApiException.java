package io.proxplane.pvesim.api;

import java.util.Map;
import java.util.TreeMap;

/**
 * An error answer in the PVE shape: HTTP status, message (its first line becomes the reason phrase)
 * and, for 400, per-parameter errors. Handlers throw it exactly where PVE would `die`.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final Map<String, String> errors;

    public ApiException(int status, String message) {
        this(status, message, Map.of());
    }

    public ApiException(int status, String message, Map<String, String> errors) {
        super(message, null, false, false);
        this.status = status;
        this.errors = new TreeMap<>(errors);
    }

    public int status() { return status; }
    public Map<String, String> errors() { return errors; }

    /** A business error inside a handler (PVE: plain `die`). */
    public static ApiException fail(String message) { return new ApiException(500, message); }

    /** 400 with a single parameter error (PVE: raise_param_exc). */
    public static ApiException param(String name, String message) {
        return new ApiException(400, "Parameter verification failed.", Map.of(name, message));
    }

    public static ApiException forbidden(String what) {
        return new ApiException(403, what == null ? "Permission check failed" : "Permission check failed (" + what + ")");
    }
}
