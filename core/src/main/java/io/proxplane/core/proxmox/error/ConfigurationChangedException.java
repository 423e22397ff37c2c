package io.proxplane.core.proxmox.error;

/** The {@code digest} sent with a write no longer matches: someone else changed the config. Re-read and retry. */
public final class ConfigurationChangedException extends ProxmoxException {
    public ConfigurationChangedException(String method, String path, int httpStatus, String message) {
        super(method, path, httpStatus, message, null);
    }
}
