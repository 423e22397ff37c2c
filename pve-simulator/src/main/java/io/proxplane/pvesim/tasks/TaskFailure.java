package io.proxplane.pvesim.tasks;

/** A task body's `die`: the message becomes "TASK ERROR: <message>" and the exit status. */
public class TaskFailure extends RuntimeException {
    public TaskFailure(String message) {
        super(message, null, false, false);
    }
}
