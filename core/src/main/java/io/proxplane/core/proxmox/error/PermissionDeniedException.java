package io.proxplane.core.proxmox.error;

/**
 * HTTP 403. When Proxmox names them ("Permission check failed (/vms/100, VM.Allocate)"),
 * {@link #permissionPath()} and {@link #privilege()} say what was missing; otherwise they are null.
 * For "any of" checks the privilege reads {@code "A|B"}.
 */
public final class PermissionDeniedException extends ProxmoxException {

    private final String permissionPath;
    private final String privilege;

    public PermissionDeniedException(String method, String path, int httpStatus, String message,
                                     String permissionPath, String privilege) {
        super(method, path, httpStatus, message, null);
        this.permissionPath = permissionPath;
        this.privilege = privilege;
    }

    public String permissionPath() {
        return permissionPath;
    }

    public String privilege() {
        return privilege;
    }
}
