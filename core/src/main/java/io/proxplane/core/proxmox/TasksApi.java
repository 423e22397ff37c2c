package io.proxplane.core.proxmox;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxplane.core.proxmox.error.ApiErrorException;
import io.proxplane.core.proxmox.error.InvalidParametersException;
import io.proxplane.core.proxmox.error.NotFoundException;
import io.proxplane.core.proxmox.error.ProxmoxException;
import io.proxplane.core.proxmox.error.TaskFailedException;
import io.proxplane.core.proxmox.error.TaskTimeoutException;
import io.proxplane.core.proxmox.model.TaskLog;
import io.proxplane.core.proxmox.model.TaskLogLine;
import io.proxplane.core.proxmox.model.TaskQuery;
import io.proxplane.core.proxmox.model.TaskStatus;
import io.proxplane.core.proxmox.model.TaskSummary;
import io.proxplane.core.proxmox.model.Upid;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

/** Task status, log, list, stop, and waiting for a task to finish. */
public final class TasksApi {

    /** Lines of the log attached to a {@link TaskFailedException}. */
    static final int FAILURE_LOG_LINES = 20;
    /**
     * A task may not be visible yet right after its UPID was returned (400 "no such task" /
     * "unable to parse worker upid"); this many early polls tolerate that.
     */
    static final int TOLERATED_UNKNOWN_POLLS = 10;

    private final Transport transport;
    private final Duration initialPoll;
    private final Duration maxPoll;
    private final RetryPolicy.Sleeper sleeper;
    private final LongSupplier nanoTime;

    TasksApi(Transport transport, Duration initialPoll, Duration maxPoll, RetryPolicy.Sleeper sleeper, LongSupplier nanoTime) {
        this.transport = transport;
        this.initialPoll = initialPoll;
        this.maxPoll = maxPoll;
        this.sleeper = sleeper;
        this.nanoTime = nanoTime;
    }

    /** Status, read on the node that runs the task (the one named in the UPID). */
    public TaskStatus status(Upid upid) {
        JsonNode n = transport.call("GET", "/nodes/{node}/tasks/{upid}/status", upid.node(), upid.value()).data();
        return new TaskStatus(Json.text(n, "upid"), Json.text(n, "node"), Json.text(n, "type"), Json.text(n, "id"),
                Json.text(n, "user"), Json.text(n, "tokenid"), Json.text(n, "status"), Json.text(n, "exitstatus"),
                Json.lng(n, "starttime"));
    }

    /** Lines {@code start} (0-based) to {@code start + limit - 1} and the total line count. */
    public TaskLog log(Upid upid, int start, int limit) {
        if (start < 0 || limit < 0) {
            throw new IllegalArgumentException("start/limit: must not be negative");
        }
        JsonNode env = transport.call("GET", "/nodes/{node}/tasks/{upid}/log", upid.node(), upid.value())
                .param("start", start).param("limit", limit).envelope();
        List<TaskLogLine> lines = Json.elements(env.get("data")).stream()
                .map(n -> new TaskLogLine(Json.integer(n, "n") == null ? 0 : Json.integer(n, "n"), Json.text(n, "t")))
                .toList();
        Integer total = Json.integer(env, "total");
        return new TaskLog(lines, total == null ? start + lines.size() : total);
    }

    public List<TaskSummary> list(String node, TaskQuery query) {
        JsonNode data = transport.call("GET", "/nodes/{node}/tasks", node)
                .param("vmid", query.vmid())
                .param("typefilter", query.typeFilter())
                .param("source", query.source())
                .param("errors", query.errorsOnly())
                .param("start", query.start())
                .param("limit", query.limit())
                .data();
        return Json.elements(data).stream()
                .map(n -> new TaskSummary(Json.text(n, "upid"), Json.text(n, "node"), Json.text(n, "type"), Json.text(n, "id"),
                        Json.text(n, "user"), Json.text(n, "status"), Json.lng(n, "starttime"), Json.lng(n, "endtime")))
                .toList();
    }

    /** Asks the task to stop (SIGTERM); it then ends with an error exit status. */
    public void stop(Upid upid) {
        transport.call("DELETE", "/nodes/{node}/tasks/{upid}", upid.node(), upid.value()).idempotent().data();
    }

    /**
     * Polls the task until it stops, with back-off from the initial to the maximal poll interval.
     *
     * @return the final status when the task ended {@code OK} or {@code WARNINGS: n}
     * @throws TaskFailedException  for any other exit status, with the tail of the task log
     * @throws TaskTimeoutException when still running after {@code timeout} (the task keeps running)
     * @throws io.proxplane.core.proxmox.error.CancelledException when the calling operation's
     *         {@link Cancellation} is cancelled (checked between polls and during them; the task keeps running)
     */
    public TaskStatus await(Upid upid, Duration timeout) {
        long deadline = nanoTime.getAsLong() + timeout.toNanos();
        Duration delay = initialPoll;
        int polls = 0;
        while (true) {
            sleepUntilNextPoll(delay, deadline, upid, timeout);
            polls++;
            TaskStatus status;
            try {
                status = status(upid);
            } catch (InvalidParametersException | NotFoundException e) {
                if (polls > TOLERATED_UNKNOWN_POLLS) {
                    throw e;
                }
                status = null;
            }
            if (status != null && !status.isRunning()) {
                if (status.isSuccessful()) {
                    return status;
                }
                throw new TaskFailedException(upid.value(), String.valueOf(status.exitStatus()), tail(upid));
            }
            long delayNanos = Math.min(delay.toNanos() * 2, maxPoll.toNanos());
            delay = Duration.ofNanos(delayNanos);
        }
    }

    private void sleepUntilNextPoll(Duration delay, long deadline, Upid upid, Duration timeout) {
        // Cancelled operations stop waiting here; the task itself keeps running in Proxmox.
        Cancellation.current().check("GET", "/nodes/" + upid.node() + "/tasks/" + upid.value() + "/status");
        long remaining = deadline - nanoTime.getAsLong();
        if (remaining <= 0) {
            throw new TaskTimeoutException(upid.value(), timeout);
        }
        try {
            sleeper.sleep(Duration.ofNanos(Math.min(delay.toNanos(), remaining)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiErrorException(null, null, 0, "interrupted while waiting for task " + upid, e);
        }
    }

    private List<String> tail(Upid upid) {
        try {
            TaskLog head = log(upid, 0, 1);
            int start = Math.max(0, head.total() - FAILURE_LOG_LINES);
            List<TaskLogLine> lines = log(upid, start, FAILURE_LOG_LINES).lines();
            List<String> texts = lines.stream().map(TaskLogLine::text).toList();
            return texts.size() > FAILURE_LOG_LINES ? texts.subList(texts.size() - FAILURE_LOG_LINES, texts.size()) : texts;
        } catch (ProxmoxException e) {
            // The exit status is what matters; a log we cannot read must not hide it.
            return List.of("(task log unavailable: " + e.getMessage() + ")");
        }
    }
}
