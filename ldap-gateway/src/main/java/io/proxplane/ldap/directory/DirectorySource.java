package io.proxplane.ldap.directory;

import java.time.Instant;

/**
 * Where the directory comes from (the registry in production, memory in tests). Reads happen off
 * the request path: the gateway serves immutable snapshots built from {@link #load()}.
 */
public interface DirectorySource {

    /** Reads users, groups, memberships and service accounts in one consistent read. */
    DirectoryData load() throws Exception;

    /**
     * Registers a callback run whenever the source may have changed (a change notification).
     * The callback must be cheap; the gateway coalesces calls and reloads on its own thread.
     */
    void onChange(Runnable listener);

    /** Stores a new password hash for a user (Password Modify). Throws if the user does not exist. */
    void updatePassword(String uid, String passwordHash, Instant changedAt) throws Exception;
}
