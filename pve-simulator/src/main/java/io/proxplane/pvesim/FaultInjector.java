package io.proxplane.pvesim;

import java.time.Duration;

/** Fault injection hooks (see docs/pve-simulator.md). */
public interface FaultInjector {
    void failNext(String method, String pathRegex, int times, int status, String message);

    void latency(String method, String pathRegex, Duration delay);

    void failTask(String taskType, Integer vmidOrNull, String errorMessage);

    void warnTask(String taskType, Integer vmidOrNull, String warning);

    void hangTask(String taskType, Integer vmidOrNull);

    void hideNewTasks(int polls);

    void holdLock(int vmid, String lock);

    void holdFlock(int vmid, Duration d);

    void clear();
}
