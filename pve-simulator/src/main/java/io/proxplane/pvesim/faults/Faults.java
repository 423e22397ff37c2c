package io.proxplane.pvesim.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Pending faults; consulted by the dispatcher and the task manager. Thread-safe via its monitor. */
public final class Faults {
    public record RequestFault(int status, String message) {}

    public enum TaskFaultKind { FAIL, WARN, HANG }

    public record TaskFault(TaskFaultKind kind, String message) {}

    private record Failing(String method, Pattern path, int[] remaining, int status, String message) {}

    private record Latency(String method, Pattern path, Duration delay) {}

    private record PendingTaskFault(String type, Integer vmid, TaskFault fault) {}

    private final List<Failing> failing = new ArrayList<>();
    private final List<Latency> latencies = new ArrayList<>();
    private final List<PendingTaskFault> taskFaults = new ArrayList<>();
    private int hidePolls;

    public synchronized void failNext(String method, String pathRegex, int times, int status, String message) {
        failing.add(new Failing(method.toUpperCase(java.util.Locale.ROOT), Pattern.compile(pathRegex), new int[] {times}, status, message));
    }

    public synchronized void latency(String method, String pathRegex, Duration delay) {
        latencies.add(new Latency(method.toUpperCase(java.util.Locale.ROOT), Pattern.compile(pathRegex), delay));
    }

    public synchronized void addTaskFault(String type, Integer vmid, TaskFaultKind kind, String message) {
        taskFaults.add(new PendingTaskFault(type, vmid, new TaskFault(kind, message)));
    }

    public synchronized void hideNewTasks(int polls) {
        hidePolls = polls;
    }

    public synchronized int hidePolls() {
        return hidePolls;
    }

    public synchronized void clear() {
        failing.clear();
        latencies.clear();
        taskFaults.clear();
        hidePolls = 0;
    }

    /** Consumes one matching request fault, if any. */
    public synchronized Optional<RequestFault> takeRequestFault(String method, String path) {
        for (Iterator<Failing> it = failing.iterator(); it.hasNext(); ) {
            Failing f = it.next();
            if (f.method.equals(method) && f.path.matcher(path).matches()) {
                if (--f.remaining[0] <= 0) it.remove();
                return Optional.of(new RequestFault(f.status, f.message));
            }
        }
        return Optional.empty();
    }

    public synchronized Duration latencyFor(String method, String path) {
        Duration total = Duration.ZERO;
        for (Latency l : latencies) {
            if (l.method.equals(method) && l.path.matcher(path).matches()) total = total.plus(l.delay);
        }
        return total;
    }

    /** Consumes the fault for the next task of this type (and guest), if any. */
    public synchronized Optional<TaskFault> takeTaskFault(String type, String id) {
        for (Iterator<PendingTaskFault> it = taskFaults.iterator(); it.hasNext(); ) {
            PendingTaskFault f = it.next();
            if (f.type.equals(type) && (f.vmid == null || f.vmid.toString().equals(id))) {
                it.remove();
                return Optional.of(f.fault);
            }
        }
        return Optional.empty();
    }

    /** clear() must also release hung tasks: they poll this. */
    private volatile long generation;

    public long generation() {
        return generation;
    }

    public synchronized void bumpGeneration() {
        generation++;
    }
}
