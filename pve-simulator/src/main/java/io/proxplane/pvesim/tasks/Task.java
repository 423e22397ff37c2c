package io.proxplane.pvesim.tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Future;

/** One worker task with PVE's UPID, log and exit status. Fields are guarded by the task itself. */
public final class Task {
    public final String upid;
    public final String node;
    public final int pid;
    public final long pstart;
    public final long starttime;
    public final String type;
    public final String id;
    public final String user; // user@realm or user@realm!token
    private final List<String> log = new ArrayList<>();
    private String status = "running";
    private String exitstatus;
    private long endtime;
    volatile Future<?> future;
    int hiddenPolls;
    volatile boolean cancelled;

    Task(String node, int pid, long pstart, long starttime, String type, String id, String user) {
        this.node = node;
        this.pid = pid;
        this.pstart = pstart;
        this.starttime = starttime;
        this.type = type;
        this.id = id;
        this.user = user;
        this.upid = String.format(Locale.ROOT, "UPID:%s:%08X:%08X:%08X:%s:%s:%s:", node, pid, pstart, starttime, type, id, user);
    }

    public synchronized void log(String line) {
        log.add(line);
    }

    public synchronized List<String> logLines() {
        return List.copyOf(log);
    }

    public synchronized boolean running() {
        return status.equals("running");
    }

    public synchronized String status() {
        return status;
    }

    public synchronized String exitstatus() {
        return exitstatus;
    }

    public synchronized long endtime() {
        return endtime;
    }

    synchronized void finish(String exit, long end) {
        status = "stopped";
        exitstatus = exit;
        endtime = end;
        notifyAll();
    }

    /** Blocks until the task stopped; for tests and synchronous helpers. */
    public synchronized void await(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (running()) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) return;
            wait(left);
        }
    }

    /** Whether the task ended with an error (not OK and not WARNINGS). */
    public synchronized boolean failed() {
        return exitstatus != null && !exitstatus.equals("OK") && !exitstatus.startsWith("WARNINGS");
    }

    public String userWithoutToken() {
        int bang = user.indexOf('!');
        return bang < 0 ? user : user.substring(0, bang);
    }

    public String tokenName() {
        int bang = user.indexOf('!');
        return bang < 0 ? null : user.substring(bang + 1);
    }

    synchronized int consumeHiddenPoll() {
        if (hiddenPolls > 0) {
            hiddenPolls--;
            return 1;
        }
        return 0;
    }
}
