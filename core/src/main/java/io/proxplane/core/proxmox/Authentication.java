package io.proxplane.core.proxmox;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxplane.core.proxmox.error.ApiErrorException;
import io.proxplane.core.proxmox.error.ProxmoxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;
import okhttp3.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Adds credentials to a request (proxmox-api.md §2.4). */
sealed interface Authentication {

    Authentication NONE = new None();

    void apply(Request.Builder request, String method);

    /** Forget cached credentials after a 401; true if a fresh attempt could succeed. */
    default boolean invalidate() {
        return false;
    }

    record None() implements Authentication {
        @Override
        public void apply(Request.Builder request, String method) {
        }
    }

    /** {@code Authorization: PVEAPIToken=user@realm!id=secret}; no CSRF token needed. */
    record ApiToken(String tokenId, String secret) implements Authentication {
        public ApiToken {
            if (tokenId == null || !tokenId.matches("[^\\s:/]+@[A-Za-z][A-Za-z0-9.\\-_]+![A-Za-z][A-Za-z0-9.\\-_]+")) {
                throw new IllegalArgumentException("apiToken: token id must look like user@realm!tokenid, got '" + tokenId + "'");
            }
            if (secret == null || secret.isBlank()) {
                throw new IllegalArgumentException("apiToken: secret required");
            }
        }

        @Override
        public void apply(Request.Builder request, String method) {
            request.header("Authorization", "PVEAPIToken=" + tokenId + "=" + secret);
        }

        @Override
        public String toString() {
            return "ApiToken[" + tokenId + "]";
        }
    }

    /**
     * Ticket login with renewal. The ticket lives 2 h; once it is older than {@code renewAfter} the
     * next request first renews it by posting the current ticket as password, and falls back to a
     * fresh login with the password if renewal fails. Thread-safe: one thread refreshes, the others
     * wait for it and then use the new ticket.
     */
    final class Ticket implements Authentication {

        private static final Logger LOG = LoggerFactory.getLogger(Ticket.class);

        private record State(String username, String ticket, String csrfToken, Instant obtainedAt) {
        }

        private final Transport transport;
        private final String username;
        private final String password;
        private final Duration renewAfter;
        private final Clock clock;
        private final ReentrantLock lock = new ReentrantLock();
        private volatile State state;

        Ticket(Transport transport, String username, String password, Duration renewAfter, Clock clock) {
            if (username == null || !username.contains("@")) {
                throw new IllegalArgumentException("ticket: username must look like user@realm, got '" + username + "'");
            }
            if (password == null || password.isEmpty()) {
                throw new IllegalArgumentException("ticket: password required");
            }
            if (renewAfter.isNegative() || renewAfter.isZero()) {
                throw new IllegalArgumentException("ticketRenewAfter: must be positive");
            }
            this.transport = transport;
            this.username = username;
            this.password = password;
            this.renewAfter = renewAfter;
            this.clock = clock;
        }

        @Override
        public void apply(Request.Builder request, String method) {
            State s = current();
            // pveproxy URI-unescapes the cookie value, so escaping is always safe, and it keeps
            // the base64 '+', '/' and '=' of the signature intact through any decoder.
            request.header("Cookie", "PVEAuthCookie=" + URLEncoder.encode(s.ticket(), StandardCharsets.UTF_8));
            if (!method.equals("GET")) {
                request.header("CSRFPreventionToken", s.csrfToken());
            }
        }

        @Override
        public boolean invalidate() {
            lock.lock();
            try {
                state = null;
                return true;
            } finally {
                lock.unlock();
            }
        }

        private State current() {
            State s = state;
            if (s != null && !isDue(s)) {
                return s;
            }
            lock.lock();
            try {
                s = state;
                if (s == null) {
                    s = login(username, password);
                } else if (isDue(s)) {
                    s = renew(s);
                }
                state = s;
                return s;
            } finally {
                lock.unlock();
            }
        }

        private boolean isDue(State s) {
            return !clock.instant().isBefore(s.obtainedAt().plus(renewAfter));
        }

        private State renew(State old) {
            try {
                State renewed = login(old.username(), old.ticket());
                LOG.debug("renewed the Proxmox ticket of {}", old.username());
                return renewed;
            } catch (ProxmoxException e) {
                LOG.info("renewing the Proxmox ticket of {} failed ({}); logging in again", old.username(), e.getMessage());
                return login(username, password);
            }
        }

        private State login(String user, String secret) {
            JsonNode data = transport.call("POST", "/access/ticket")
                    .param("username", user)
                    .param("password", secret)
                    .unauthenticated()
                    .idempotent()
                    .data();
            String ticket = Json.text(data, "ticket");
            String csrf = Json.text(data, "CSRFPreventionToken");
            if (ticket == null || csrf == null) {
                throw new ApiErrorException("POST", "/access/ticket", 200,
                        "login answered without ticket (two-factor authentication is not supported)", null);
            }
            String name = Json.text(data, "username");
            return new State(name == null ? user : name, ticket, csrf, clock.instant());
        }

        @Override
        public String toString() {
            return "Ticket[" + username + "]";
        }
    }
}
