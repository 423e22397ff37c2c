package io.proxplane.core.proxmox.model;

/** An entry of {@code GET /nodes/{node}/tasks}; {@code status} is the exit status text once finished. */
public record TaskSummary(String upid, String node, String type, String id, String user,
                          String status, Long startTime, Long endTime) {
}
