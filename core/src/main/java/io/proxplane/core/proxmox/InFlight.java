package io.proxplane.core.proxmox;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operations running now, each under its own {@link Cancellation}: {@link #enter()} binds a
 * token to the calling thread for the duration of one operation, {@link #cancelAll} cancels exactly
 * the operations entered and not yet left. Later operations get fresh tokens, so a group keeps
 * accepting work after a cancel (per-operation cancellation, nothing to reset).
 */
public final class InFlight {

    private final Set<Cancellation> running = ConcurrentHashMap.newKeySet();

    /**
     * Starts an operation on this thread. A token already bound (a caller's own, e.g. one tied to
     * the client's request) is joined rather than replaced, so both the caller and this group can
     * cancel the operation.
     */
    public Operation enter() {
        Cancellation bound = Cancellation.current();
        Cancellation token = bound == Cancellation.NONE ? Cancellation.create() : bound;
        boolean added = running.add(token);
        Cancellation.Scope scope = token.bind();
        return new Operation(token, () -> {
            scope.close();
            if (added) {
                running.remove(token);
            }
        });
    }

    /** Cancels every operation running now; returns how many were cancelled by this call. */
    public int cancelAll(String reason) {
        int n = 0;
        for (Cancellation c : running) {
            if (c.cancel(reason)) {
                n++;
            }
        }
        return n;
    }

    /** How many operations are running (for logs and tests). */
    public int size() {
        return running.size();
    }

    /** One entered operation; close it on the thread that entered it. */
    public static final class Operation implements AutoCloseable {
        private final Cancellation token;
        private final Cancellation.Scope leave;

        private Operation(Cancellation token, Cancellation.Scope leave) {
            this.token = token;
            this.leave = leave;
        }

        public Cancellation cancellation() {
            return token;
        }

        /** Cancels this operation only. */
        public boolean cancel(String reason) {
            return token.cancel(reason);
        }

        @Override
        public void close() {
            leave.close();
        }
    }
}
