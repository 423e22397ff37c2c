package io.proxplane.core.proxmox.error;

import java.util.List;

/**
 * A task ended with an error exit status. {@link #exitStatus()} is Proxmox's text (e.g.
 * "unable to create CT 100 - ..."), {@link #lastLogLines()} the tail of the task log.
 */
public final class TaskFailedException extends ProxmoxException {

    private final String upid;
    private final String exitStatus;
    private final List<String> lastLogLines;

    public TaskFailedException(String upid, String exitStatus, List<String> lastLogLines) {
        super(null, null, 0, "task " + upid + " failed: " + exitStatus, null);
        this.upid = upid;
        this.exitStatus = exitStatus;
        this.lastLogLines = List.copyOf(lastLogLines);
    }

    public String upid() {
        return upid;
    }

    public String exitStatus() {
        return exitStatus;
    }

    public List<String> lastLogLines() {
        return lastLogLines;
    }
}
