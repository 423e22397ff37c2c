package io.proxplane.pvesim.tasks;

/** What a running task body can do: log, warn, and spend its configured duration. */
public interface TaskContext {
    Task task();

    void log(String line);

    void warn(String warning);

    /**
     * Spends the task's configured duration, honouring injected faults: a hang blocks until the task
     * is stopped, an injected failure throws {@link TaskFailure}, an injected warning is logged.
     */
    void work();

    /** Acquires the guest's config flock for the rest of the task (released when the task ends). */
    void lockGuest(int vmid);
}
