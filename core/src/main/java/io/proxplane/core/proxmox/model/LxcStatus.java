package io.proxplane.core.proxmox.model;

import java.util.List;

/**
 * A container as listed by {@code GET /nodes/{node}/lxc} or {@code .../status/current}.
 *
 * @param status {@code running} or {@code stopped}
 * @param lock   persisted config lock, or null
 */
public record LxcStatus(int vmid, String status, String name, String lock, List<String> tags, boolean template,
                        Long uptime, Double cpus, Double cpu, Long mem, Long maxmem, Long disk, Long maxdisk) {

    public LxcStatus {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    public boolean isRunning() {
        return "running".equals(status);
    }
}
