package io.proxplane.ldap.server;

import io.proxplane.ldap.directory.DirectorySnapshot;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The paged searches of one connection, keyed by cookie, several at once (SSSD interleaves them).
 * Each holds the snapshot it started on, so its pages are consistent even across a refresh. Cookies
 * are random and live in this per-connection map, so they mean nothing on another connection.
 */
final class PagedSearches {
    private static final SecureRandom RANDOM = new SecureRandom();

    static final class State {
        final String requestKey;
        final DirectorySnapshot snapshot;
        final int[] matches;
        int next;
        int sent;
        int lastMessageId;
        Instant lastUsed;

        State(String requestKey, DirectorySnapshot snapshot, int[] matches) {
            this.requestKey = requestKey;
            this.snapshot = snapshot;
            this.matches = matches;
        }
    }

    private final int capacity;
    private final Duration idle;
    private final Map<String, State> byCookie = new LinkedHashMap<>();

    PagedSearches(int capacity, Duration idle) {
        this.capacity = capacity;
        this.idle = idle;
    }

    synchronized String store(State state, Instant now) {
        expire(now);
        if (byCookie.size() >= capacity) {
            // Drop the least recently used search rather than refusing the new one.
            Iterator<String> oldest = byCookie.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        byte[] raw = new byte[12];
        RANDOM.nextBytes(raw);
        String cookie = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        state.lastUsed = now;
        byCookie.put(cookie, state);
        return cookie;
    }

    synchronized State take(String cookie, Instant now) {
        expire(now);
        return byCookie.remove(cookie);
    }

    synchronized void abandonMessage(int messageId) {
        byCookie.values().removeIf(s -> s.lastMessageId == messageId);
    }

    synchronized void clear() {
        byCookie.clear();
    }

    synchronized int size() {
        return byCookie.size();
    }

    private void expire(Instant now) {
        byCookie.values().removeIf(s -> s.lastUsed.plus(idle).isBefore(now));
    }
}
