package io.proxplane.core.proxmox.error;

/** The object to create already exists (e.g. "CT 100 already exists on node 'pve'"). */
public final class AlreadyExistsException extends ProxmoxException {
    public AlreadyExistsException(String method, String path, int httpStatus, String message) {
        super(method, path, httpStatus, message, null);
    }
}
