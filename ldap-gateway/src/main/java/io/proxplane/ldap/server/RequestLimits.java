package io.proxplane.ldap.server;

import java.time.Duration;

/**
 * Bounds applied to every request before it is decoded, and to every connection, so that no
 * client can make the gateway buffer, recurse or compute more than a normal request costs.
 *
 * @param maxMessageBytes          a request larger than this closes the connection (after a notice of disconnection)
 * @param maxDnBytes               longer DNs (bind name, search base, entry names) are refused (53)
 * @param maxRdns                  DNs with more RDNs are refused (53)
 * @param maxPasswordBytes         longer simple-bind passwords are refused (53) before any hashing
 * @param idleTimeout              a connection with no request for this long is closed
 * @param requestTimeout           a request must arrive completely within this long of its first byte
 * @param writeTimeout             a client that does not read its answers for this long is disconnected
 * @param maxConnections           connections over all addresses; more are turned away (busy, 51)
 * @param maxConnectionsPerAddress connections from one client address; more are turned away (busy, 51)
 */
public record RequestLimits(int maxMessageBytes, int maxDnBytes, int maxRdns, int maxPasswordBytes,
                            Duration idleTimeout, Duration requestTimeout, Duration writeTimeout,
                            int maxConnections, int maxConnectionsPerAddress) {

    /** SSSD and nslcd keep connections open and reopen them when the server closes them, so 10 minutes idle is harmless. */
    public static final RequestLimits DEFAULT = new RequestLimits(256 * 1024, 4096, 64, 4096,
            Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofSeconds(60), 4096, 64);

    public RequestLimits {
        positive("maxMessageBytes", maxMessageBytes);
        positive("maxDnBytes", maxDnBytes);
        positive("maxRdns", maxRdns);
        positive("maxPasswordBytes", maxPasswordBytes);
        positive("maxConnections", maxConnections);
        positive("maxConnectionsPerAddress", maxConnectionsPerAddress);
        for (var d : new Duration[] {idleTimeout, requestTimeout, writeTimeout}) {
            if (d == null || d.isNegative() || d.isZero() || d.toMillis() > Integer.MAX_VALUE)
                throw new IllegalArgumentException("connection timeouts must be positive and under 24 days, got " + d);
        }
    }

    private static void positive(String name, int value) {
        if (value <= 0) throw new IllegalArgumentException(name + " must be positive, got " + value);
    }

    public RequestLimits withIdleTimeout(Duration idle) {
        return new RequestLimits(maxMessageBytes, maxDnBytes, maxRdns, maxPasswordBytes, idle, requestTimeout, writeTimeout,
                maxConnections, maxConnectionsPerAddress);
    }

    public RequestLimits withMaxConnectionsPerAddress(int perAddress) {
        return new RequestLimits(maxMessageBytes, maxDnBytes, maxRdns, maxPasswordBytes, idleTimeout, requestTimeout,
                writeTimeout, maxConnections, perAddress);
    }

    /** How long a started request may take to arrive: never longer than the idle timeout. */
    Duration effectiveRequestTimeout() {
        return requestTimeout.compareTo(idleTimeout) < 0 ? requestTimeout : idleTimeout;
    }
}
