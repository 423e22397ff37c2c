package io.proxplane.core.proxmox.model;

/** One line of a task log: line number {@code n} (1-based) and text. */
public record TaskLogLine(int n, String text) {
}
