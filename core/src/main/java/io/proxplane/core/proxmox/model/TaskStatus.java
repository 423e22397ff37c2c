package io.proxplane.core.proxmox.model;

/**
 * {@code GET /nodes/{node}/tasks/{upid}/status}.
 *
 * @param status     {@code running} or {@code stopped}
 * @param exitStatus null while running; {@code OK}, {@code WARNINGS: n} or the error text when stopped
 */
public record TaskStatus(String upid, String node, String type, String id, String user, String tokenId,
                         String status, String exitStatus, Long startTime) {

    public boolean isRunning() {
        return !"stopped".equals(status);
    }

    /** Stopped with {@code OK} or {@code WARNINGS: n} (warnings count as success, like every PVE client does). */
    public boolean isSuccessful() {
        return !isRunning() && exitStatus != null && (exitStatus.equals("OK") || exitStatus.startsWith("WARNINGS"));
    }
}
