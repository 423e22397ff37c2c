package io.proxplane.core.proxmox.error;

/** Any other error: a 500 business error without a more specific kind, 501, TLS failures (status 0). */
public final class ApiErrorException extends ProxmoxException {
    public ApiErrorException(String method, String path, int httpStatus, String message, Throwable cause) {
        super(method, path, httpStatus, message, cause);
    }
}
