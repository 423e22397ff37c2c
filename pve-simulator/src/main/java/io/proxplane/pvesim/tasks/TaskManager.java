package io.proxplane.pvesim.tasks;

import io.proxplane.pvesim.api.ApiException;
import io.proxplane.pvesim.faults.Faults;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs task bodies like PVE's fork_worker: each task gets a UPID at once and runs on its own
 * (virtual) thread; the log ends with TASK OK / TASK WARNINGS: n / TASK ERROR: msg.
 */
public final class TaskManager implements AutoCloseable {
    private final Clock clock;
    private final Faults faults;
    private final GuestLocks locks;
    private final Duration defaultDuration;
    private final Map<String, Duration> durations;
    private final AtomicInteger pids = new AtomicInteger(ThreadLocalRandom.current().nextInt(0x10000, 0x300000));
    private final List<Task> tasks = new CopyOnWriteArrayList<>();
    private final Map<String, Task> byUpid = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    public TaskManager(Clock clock, Faults faults, GuestLocks locks, Duration defaultDuration, Map<String, Duration> durations) {
        this.clock = clock;
        this.faults = faults;
        this.locks = locks;
        this.defaultDuration = defaultDuration;
        this.durations = Map.copyOf(durations);
    }

    public Task start(String node, long nodeBootEpoch, String type, String id, String user, TaskBody body) {
        long now = clock.instant().getEpochSecond();
        long pstart = Math.max(1, now - nodeBootEpoch) * 100 + pids.get() % 97;
        Task task = new Task(node, pids.incrementAndGet(), pstart, now, type, id, user);
        task.hiddenPolls = faults.hidePolls();
        Optional<Faults.TaskFault> fault = faults.takeTaskFault(type, id);
        tasks.add(task);
        byUpid.put(task.upid, task);
        task.future = executor.submit(() -> run(task, fault.orElse(null), body));
        return task;
    }

    private void run(Task task, Faults.TaskFault fault, TaskBody body) {
        Ctx ctx = new Ctx(task, fault);
        String exit;
        try {
            body.run(ctx);
            if (ctx.warnings > 0) {
                exit = "WARNINGS: " + ctx.warnings;
                task.log("TASK WARNINGS: " + ctx.warnings);
            } else {
                exit = "OK";
                task.log("TASK OK");
            }
        } catch (InterruptedException | Interrupted e) {
            task.log("received interrupt");
            task.log("interrupted by signal");
            exit = "unexpected status";
        } catch (TaskFailure | ApiException e) {
            String msg = e.getMessage().strip();
            task.log("TASK ERROR: " + msg);
            exit = msg.replace('\n', ' ');
        } catch (Exception e) {
            String msg = String.valueOf(e.getMessage()).strip();
            task.log("TASK ERROR: " + msg);
            exit = msg.replace('\n', ' ');
        } finally {
            for (int vmid : ctx.heldLocks) locks.release(vmid);
        }
        task.finish(exit, clock.instant().getEpochSecond());
    }

    public Task find(String upid) {
        return byUpid.get(upid);
    }

    /** A status poll: false while the task is still hidden by fault injection. */
    public boolean visible(Task t) {
        return t.consumeHiddenPoll() == 0;
    }

    public List<Task> all() {
        return new ArrayList<>(tasks);
    }

    /** DELETE /tasks/{upid}: interrupts a running task. */
    public void stop(Task t) {
        if (!t.running()) return;
        t.cancelled = true;
        var f = t.future;
        if (f != null) f.cancel(true);
    }

    public Duration durationOf(String type) {
        return durations.getOrDefault(type, defaultDuration);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private final class Ctx implements TaskContext {
        private final Task task;
        private final Faults.TaskFault fault;
        private final List<Integer> heldLocks = new ArrayList<>();
        private int warnings;

        Ctx(Task task, Faults.TaskFault fault) {
            this.task = task;
            this.fault = fault;
        }

        @Override public Task task() { return task; }

        @Override public void log(String line) { task.log(line); }

        @Override
        public void warn(String warning) {
            warnings++;
            task.log("WARN: " + warning);
        }

        @Override
        public void work() {
            try {
                Thread.sleep(durationOf(task.type));
                if (fault != null && fault.kind() == Faults.TaskFaultKind.HANG) {
                    long gen = faults.generation();
                    while (faults.generation() == gen) Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                throw new Interrupted();
            }
            if (fault != null && fault.kind() == Faults.TaskFaultKind.FAIL) throw new InjectedFailure(fault.message());
            if (fault != null && fault.kind() == Faults.TaskFaultKind.WARN) warn(fault.message());
        }

        @Override
        public void lockGuest(int vmid) {
            try {
                if (!locks.tryAcquireNow(vmid)) {
                    task.log("trying to acquire lock...");
                    if (!locks.tryAcquire(vmid)) throw new TaskFailure(GuestLocks.timeoutMessage(vmid));
                    task.log(" OK");
                }
            } catch (InterruptedException e) {
                throw new Interrupted();
            }
            heldLocks.add(vmid);
        }
    }

    /** A failure requested through fault injection: bodies pass its text through unchanged. */
    public static final class InjectedFailure extends TaskFailure {
        InjectedFailure(String message) { super(message); }
    }

    /** Unchecked carrier for an interrupt inside a body. */
    public static final class Interrupted extends RuntimeException {
        Interrupted() { super("interrupted by signal", null, false, false); }
    }
}
