package io.proxplane.core.proxmox.error;

/** HTTP 401: wrong credentials, unknown or expired token or ticket, missing CSRF token. */
public final class AuthenticationFailedException extends ProxmoxException {
    public AuthenticationFailedException(String method, String path, int httpStatus, String message) {
        super(method, path, httpStatus, message, null);
    }
}
