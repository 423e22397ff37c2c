package io.proxplane.core.proxmox.error;

import java.util.Objects;

/**
 * Base of every failure the Proxmox client reports. Carries the request that failed (method and
 * concrete path below {@code /api2/json}), the HTTP status (0 when no HTTP response was involved,
 * e.g. a connection failure or a task outcome) and the message Proxmox gave.
 *
 * <p>Sealed so callers can switch over the kinds they act on; everything unexpected is
 * {@link ApiErrorException}.
 */
public abstract sealed class ProxmoxException extends RuntimeException
        permits NotFoundException, LockedException, AlreadyExistsException,
                ConfigurationChangedException, PermissionDeniedException,
                AuthenticationFailedException, InvalidParametersException, TransientException,
                ApiErrorException, TaskFailedException, TaskTimeoutException, CancelledException {

    private final String method;
    private final String path;
    private final int httpStatus;
    private final String proxmoxMessage;

    protected ProxmoxException(String method, String path, int httpStatus, String proxmoxMessage, Throwable cause) {
        super(describe(method, path, httpStatus, proxmoxMessage), cause);
        this.method = method;
        this.path = path;
        this.httpStatus = httpStatus;
        this.proxmoxMessage = Objects.requireNonNullElse(proxmoxMessage, "");
    }

    private static String describe(String method, String path, int status, String message) {
        StringBuilder sb = new StringBuilder();
        if (method != null) {
            sb.append(method).append(' ').append(path).append(": ");
        }
        if (status > 0) {
            sb.append("HTTP ").append(status).append(' ');
        }
        sb.append(message);
        return sb.toString();
    }

    /** HTTP method of the failed request, e.g. {@code "POST"}; null if no request was involved. */
    public String method() {
        return method;
    }

    /** Concrete path below {@code /api2/json}, e.g. {@code /nodes/pve/lxc/100/config}. */
    public String path() {
        return path;
    }

    /** HTTP status, 0 when the failure did not come from an HTTP response. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The message Proxmox gave (body {@code message}, else the HTTP reason phrase), trimmed. */
    public String proxmoxMessage() {
        return proxmoxMessage;
    }
}
