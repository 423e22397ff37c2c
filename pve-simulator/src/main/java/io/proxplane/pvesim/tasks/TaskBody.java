package io.proxplane.pvesim.tasks;

@FunctionalInterface
public interface TaskBody {
    void run(TaskContext ctx) throws Exception;
}
