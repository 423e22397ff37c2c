package io.proxplane.ldap.server;

import com.unboundid.asn1.ASN1Buffer;
import com.unboundid.ldap.protocol.ExtendedResponseProtocolOp;
import com.unboundid.ldap.protocol.LDAPMessage;
import com.unboundid.ldap.sdk.ResultCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Accepts connections on the gateway's listening sockets (plain and LDAPS), enforces the
 * connection caps (over all and per client address), runs one thread per connection, and
 * disconnects clients that stopped reading their answers (a blocked write has no timeout of its
 * own in Java).
 */
final class ConnectionRegistry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConnectionRegistry.class);

    private final GatewayContext ctx;
    private final RequestLimits limits;
    private final Set<ClientConnection> open = ConcurrentHashMap.newKeySet();
    private final Map<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    private final List<ServerSocket> listening = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private final Counter opened;
    private final Counter closedCount;
    private final Counter turnedAway;
    private final Counter refused;
    private final Thread watchdog;
    private volatile boolean shutDown;

    ConnectionRegistry(GatewayContext ctx) {
        this.ctx = ctx;
        this.limits = ctx.config().limits();
        this.opened = ctx.meters().counter("ldap.connections.opened");
        this.closedCount = ctx.meters().counter("ldap.connections.closed");
        this.turnedAway = ctx.meters().counter("ldap.connections.refused");
        this.refused = ctx.meters().counter("ldap.requests.refused");
        Gauge.builder("ldap.connections.open", open, Set::size).register(ctx.meters());
        this.watchdog = Thread.ofPlatform().daemon(true).name("ldap-write-watchdog").start(this::watch);
    }

    /** Starts accepting on {@code server} on a thread of its own. */
    void listen(ServerSocket server, String name) {
        listening.add(server);
        Thread.ofPlatform().daemon(true).name("ldap-accept-" + name).start(() -> acceptLoop(server));
    }

    private void acceptLoop(ServerSocket server) {
        while (!shutDown) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!shutDown) log.warn("accepting an LDAP connection failed: {}", e.toString());
                if (server.isClosed()) return;
                continue;
            }
            try {
                admit(s);
            } catch (IOException | RuntimeException e) {
                log.debug("connection from {} dropped at accept: {}", s.getInetAddress(), e.toString());
                closeQuietly(s);
            }
        }
    }

    private void admit(Socket s) throws IOException {
        InetAddress from = s.getInetAddress();
        int count = perAddress.merge(from, 1, Integer::sum);
        String why = null;
        if (open.size() >= limits.maxConnections()) why = "the gateway has " + limits.maxConnections() + " connections";
        else if (count > limits.maxConnectionsPerAddress())
            why = "client address " + from.getHostAddress() + " has " + limits.maxConnectionsPerAddress() + " connections";
        if (why != null) {
            release(from);
            turnedAway.increment();
            log.info("turned away a connection: {}", why);
            turnAway(s, why);
            return;
        }
        s.setTcpNoDelay(true);
        s.setKeepAlive(true);
        ClientConnection c;
        try {
            c = new ClientConnection(this, ctx, s, ids.incrementAndGet());
        } catch (IOException | RuntimeException e) {
            release(from);
            throw e;
        }
        open.add(c);
        opened.increment();
        Thread.ofPlatform().daemon(true).name("ldap-conn-" + c.id() + "-" + from.getHostAddress()).start(c);
    }

    /**
     * A notice of disconnection (busy) on plain connections, written on the accept thread: a
     * few bytes into an empty socket buffer never block. LDAPS connections are just closed, since
     * a notice would need a TLS handshake on this thread.
     */
    private static void turnAway(Socket s, String why) {
        try {
            if (!(s instanceof SSLSocket)) {
                ASN1Buffer b = new ASN1Buffer();
                new LDAPMessage(0, new ExtendedResponseProtocolOp(ResultCode.BUSY_INT_VALUE, null, why, null,
                        ClientConnection.NOTICE_OF_DISCONNECTION, null)).writeTo(b);
                OutputStream out = s.getOutputStream();
                b.writeTo(out);
                out.flush();
                s.shutdownOutput();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        closeQuietly(s);
    }

    void closed(ClientConnection c) {
        if (open.remove(c)) {
            closedCount.increment();
            try {
                release(InetAddress.getByName(c.clientAddress()));
            } catch (IOException impossible) {
                // a literal address always resolves
            }
        }
    }

    void refused() {
        refused.increment();
    }

    private void release(InetAddress from) {
        perAddress.computeIfPresent(from, (k, v) -> v <= 1 ? null : v - 1);
    }

    private void watch() {
        while (!shutDown) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (ClientConnection c : open) {
                if (c.stuckWriting(now)) {
                    log.info("closing connection {} from {}: it has not read its answers for {} s", c.id(), c.clientAddress(),
                            limits.writeTimeout().toSeconds());
                    c.close();
                }
            }
        }
    }

    @Override
    public void close() {
        shutDown = true;
        for (ServerSocket s : listening) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        open.forEach(ClientConnection::close);
        watchdog.interrupt();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
