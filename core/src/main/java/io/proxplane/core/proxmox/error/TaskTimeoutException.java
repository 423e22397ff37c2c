package io.proxplane.core.proxmox.error;

import java.time.Duration;

/** A task was still running when the caller's timeout elapsed. The task itself keeps running. */
public final class TaskTimeoutException extends ProxmoxException {

    private final String upid;

    public TaskTimeoutException(String upid, Duration timeout) {
        super(null, null, 0, "task " + upid + " still running after " + timeout, null);
        this.upid = upid;
    }

    public String upid() {
        return upid;
    }
}
