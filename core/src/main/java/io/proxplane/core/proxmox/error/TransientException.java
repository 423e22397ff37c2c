package io.proxplane.core.proxmox.error;

/**
 * A failure that may go away by itself: proxy errors 595/596, 502/503/504, connection refused or
 * reset, timeouts. {@link #mayHaveReachedServer()} tells whether the request could have been
 * processed anyway: false only when it provably was not (connection never established, 595, 502,
 * 503). The client retries non-idempotent calls only in that case.
 */
public final class TransientException extends ProxmoxException {

    private final boolean mayHaveReachedServer;

    public TransientException(String method, String path, int httpStatus, String message,
                              boolean mayHaveReachedServer, Throwable cause) {
        super(method, path, httpStatus, message, cause);
        this.mayHaveReachedServer = mayHaveReachedServer;
    }

    public boolean mayHaveReachedServer() {
        return mayHaveReachedServer;
    }
}
