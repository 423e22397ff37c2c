package io.proxplane.core.proxmox.model;

import java.util.List;

/** A page of a task log and the total number of lines. */
public record TaskLog(List<TaskLogLine> lines, int total) {
    public TaskLog {
        lines = List.copyOf(lines);
    }
}
