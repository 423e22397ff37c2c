package io.proxplane.core.proxmox.model;

import java.util.List;

/** {@code GET /nodes/{node}/status} (the parts proxplane uses). */
public record NodeStatus(String pveversion, String kernelRelease, Long uptime, Double cpu, Integer cpus,
                         Long memoryTotal, Long memoryUsed, Long memoryFree, Long rootfsTotal, Long rootfsUsed,
                         List<String> loadavg) {

    public NodeStatus {
        loadavg = loadavg == null ? List.of() : List.copyOf(loadavg);
    }
}
