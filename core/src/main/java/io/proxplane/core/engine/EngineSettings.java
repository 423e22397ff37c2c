package io.proxplane.core.engine;

import java.time.Duration;

/**
 * Engine-wide knobs. {@code proxmoxRealm} is where proxplane users and groups are mirrored for
 * ACL grants; {@code ownerRole} is granted to a container's owner on {@code /vms/<vmid>}.
 */
public record EngineSettings(String proxmoxRealm, String ownerRole, String defaultStorage, String templateStorage,
                             Duration taskTimeout, int attempts, Duration backoff) {

    public static EngineSettings defaults() {
        return new EngineSettings("pve", "PVEVMUser", "local-lvm", "local", Duration.ofMinutes(10), 4,
                Duration.ofMillis(200));
    }

    public EngineSettings withTaskTimeout(Duration d) {
        return new EngineSettings(proxmoxRealm, ownerRole, defaultStorage, templateStorage, d, attempts, backoff);
    }

    public EngineSettings withBackoff(int attempts, Duration backoff) {
        return new EngineSettings(proxmoxRealm, ownerRole, defaultStorage, templateStorage, taskTimeout, attempts, backoff);
    }
}
