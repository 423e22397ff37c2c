package io.proxplane.core.proxmox.error;

import java.util.Map;
import java.util.stream.Collectors;

/** HTTP 400, with Proxmox's per-parameter reasons in {@link #errors()} (may be empty). */
public final class InvalidParametersException extends ProxmoxException {

    private final Map<String, String> errors;

    public InvalidParametersException(String method, String path, int httpStatus, String message, Map<String, String> errors) {
        super(method, path, httpStatus, withErrors(message, errors), null);
        this.errors = Map.copyOf(errors);
    }

    private static String withErrors(String message, Map<String, String> errors) {
        if (errors.isEmpty()) {
            return message;
        }
        return message + " " + errors.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining("; ", "[", "]"));
    }

    /** Parameter name to reason, e.g. {@code net0 -> "invalid format - ..."}; values trimmed. */
    public Map<String, String> errors() {
        return errors;
    }
}
