package io.proxplane.core.proxmox.error;

/** The object does not exist. Proxmox answers 500 "... does not exist" / "no such ..." (there is no 404). */
public final class NotFoundException extends ProxmoxException {
    public NotFoundException(String method, String path, int httpStatus, String message) {
        super(method, path, httpStatus, message, null);
    }
}
