package io.proxplane.core.proxmox.model;

/** An entry of {@code GET /nodes}; {@code status} is {@code online}, {@code offline} or {@code unknown}. */
public record NodeInfo(String node, String status, Double cpu, Integer maxcpu, Long mem, Long maxmem,
                       Long disk, Long maxdisk, Long uptime, String sslFingerprint) {

    public boolean isOnline() {
        return "online".equals(status);
    }
}
