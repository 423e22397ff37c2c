package io.proxplane.terraform.plugin;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Start-up work that can overlap: a plain daemon platform thread per task (the common pool has a
 * single worker on two cores and may be busy), its result or failure in a future.
 */
final class StartupThreads {

    private StartupThreads() {
    }

    static <T> CompletableFuture<T> start(String name, Supplier<T> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(work.get());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return f;
    }
}
