package io.proxplane.core.proxmox.error;

/**
 * The operation was cancelled (see {@link io.proxplane.core.proxmox.Cancellation}) while it waited
 * for Proxmox: before or during a request, between task polls or in a back-off. The message is the
 * reason the canceller gave. A request cancelled in flight may have reached Proxmox; a task being
 * awaited keeps running there.
 */
public final class CancelledException extends ProxmoxException {

    public CancelledException(String method, String path, String reason) {
        super(method, path, 0, reason, null);
    }
}
