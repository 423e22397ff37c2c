package io.proxplane.core.proxmox.error;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps a raw Proxmox error response to the exception a caller can act on. Pure: no I/O.
 *
 * <p>Proxmox has no 404 and reports almost every business error as HTTP 500 with a text, so the
 * text decides (proxmox-api.md §2.3, §4.3-4.5). The message comes from the body's {@code message}
 * (PVE 8.3+), else from the HTTP reason phrase, which older servers fill with the same first line.
 */
public final class ErrorClassifier {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CONFIG_LOCK = Pattern.compile("(?:CT|VM) is locked \\(([^)]*)\\)");
    private static final Pattern FILE_LOCK = Pattern.compile("can't lock file '([^']*)' - got timeout");
    private static final Pattern PERMISSION = Pattern.compile("Permission check failed \\(([^,()]+), ([^()]+)\\)");

    private ErrorClassifier() {
    }

    /**
     * @param method       HTTP method of the request
     * @param path         concrete path below /api2/json
     * @param status       HTTP status (>= 400)
     * @param reasonPhrase HTTP reason phrase, may be empty
     * @param body         response body, may be empty or not JSON
     */
    public static ProxmoxException classify(String method, String path, int status, String reasonPhrase, String body) {
        JsonNode json = parse(body);
        String message = messageOf(json, reasonPhrase, status);
        Map<String, String> errors = errorsOf(json);

        switch (status) {
            case 400 -> {
                return new InvalidParametersException(method, path, status, message, errors);
            }
            case 401 -> {
                return new AuthenticationFailedException(method, path, status, message);
            }
            case 403 -> {
                Matcher m = PERMISSION.matcher(message);
                return m.find()
                        ? new PermissionDeniedException(method, path, status, message, m.group(1).trim(), m.group(2).trim())
                        : new PermissionDeniedException(method, path, status, message, null, null);
            }
            case 502, 503, 504, 595, 596 -> {
                // 595 = the proxy could not even connect to the daemon; 502/503 = gateway refused.
                // 596/504 = timeout or broken pipe after sending: the handler may have run.
                boolean mayHaveReached = status == 596 || status == 504;
                return new TransientException(method, path, status, message, mayHaveReached, null);
            }
            default -> {
                return classifyText(method, path, status, message);
            }
        }
    }

    private static ProxmoxException classifyText(String method, String path, int status, String message) {
        Matcher lock = CONFIG_LOCK.matcher(message);
        if (lock.find()) {
            return new LockedException(method, path, status, message, LockedException.Kind.CONFIG_LOCK, lock.group(1));
        }
        Matcher fileLock = FILE_LOCK.matcher(message);
        if (fileLock.find()) {
            return new LockedException(method, path, status, message, LockedException.Kind.FILE_LOCK_TIMEOUT, fileLock.group(1));
        }
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("detected modified configuration")) {
            return new ConfigurationChangedException(method, path, status, message);
        }
        if (lower.contains("already exists")) {
            return new AlreadyExistsException(method, path, status, message);
        }
        if (status == 500 && (lower.contains("does not exist") || lower.contains("no such "))) {
            return new NotFoundException(method, path, status, message);
        }
        return new ApiErrorException(method, path, status, message, null);
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException notJson) {
            return null;
        }
    }

    private static String messageOf(JsonNode json, String reasonPhrase, int status) {
        if (json != null && json.hasNonNull("message") && !json.get("message").asText().isBlank()) {
            return json.get("message").asText().strip();
        }
        if (reasonPhrase != null && !reasonPhrase.isBlank()) {
            return reasonPhrase.strip();
        }
        return "HTTP " + status;
    }

    private static Map<String, String> errorsOf(JsonNode json) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (json != null && json.path("errors").isObject()) {
            json.get("errors").properties().forEach(e ->
                    errors.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText().strip() : e.getValue().toString()));
        }
        return errors;
    }
}
