package io.proxplane.ldap.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.proxplane.ldap.auth.Authenticator;
import io.proxplane.ldap.directory.DirectorySnapshot;
import io.proxplane.ldap.directory.DirectorySource;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * The plain (with StartTLS) and LDAPS listeners over one {@link ConnectionRegistry}: our own
 * accept loop and connection reader instead of the SDK's listener, so every request is bounded
 * before it is decoded (decision 0075).
 */
public final class GatewayServer implements AutoCloseable {
    private final ConnectionRegistry connections;
    private final ServerSocket plain;
    private final ServerSocket ldaps;

    /**
     * @param ldapPort  port for ldap:// (0 picks a free one, -1 disables)
     * @param ldapsPort port for ldaps:// (0 picks a free one, -1 disables); needs {@code tls}
     * @param tls       server TLS context for LDAPS and StartTLS, or null for neither
     */
    public GatewayServer(GatewayConfig config, Supplier<DirectorySnapshot> snapshots, DirectorySource source,
                         Authenticator authenticator, MeterRegistry meters, SSLContext tls, InetAddress address,
                         int ldapPort, int ldapsPort, Clock clock) throws IOException {
        if (ldapsPort >= 0 && tls == null) throw new IllegalArgumentException("LDAPS needs a TLS certificate");
        SpecialEntries special = SpecialEntries.build(snapshots.get().layout(), tls != null);
        GatewayContext ctx = new GatewayContext(config, snapshots, source, authenticator, meters, tls, clock, special);
        ServerSocket plainSocket = null;
        ServerSocket ldapsSocket = null;
        try {
            if (ldapPort >= 0) plainSocket = bind(javax.net.ServerSocketFactory.getDefault(), address, ldapPort);
            if (ldapsPort >= 0) ldapsSocket = bind(new ModernTlsServerSocketFactory(tls), address, ldapsPort);
        } catch (IOException | RuntimeException e) {
            if (plainSocket != null) plainSocket.close();
            throw e;
        }
        this.plain = plainSocket;
        this.ldaps = ldapsSocket;
        this.connections = new ConnectionRegistry(ctx);
        if (plain != null) connections.listen(plain, "ldap");
        if (ldaps != null) connections.listen(ldaps, "ldaps");
    }

    private static ServerSocket bind(javax.net.ServerSocketFactory factory, InetAddress address, int port) throws IOException {
        ServerSocket s = factory.createServerSocket();
        try {
            s.setReuseAddress(true);
            s.bind(new java.net.InetSocketAddress(address, port), 128);
            return s;
        } catch (IOException e) {
            s.close();
            throw new IOException("cannot listen on " + address.getHostAddress() + ":" + port + ": " + e.getMessage(), e);
        }
    }

    public int ldapPort() {
        return plain == null ? -1 : plain.getLocalPort();
    }

    public int ldapsPort() {
        return ldaps == null ? -1 : ldaps.getLocalPort();
    }

    @Override
    public void close() {
        connections.close();
    }

    /** LDAPS server sockets limited to TLS 1.2 and 1.3. */
    private static final class ModernTlsServerSocketFactory extends javax.net.ServerSocketFactory {
        private final SSLServerSocketFactory delegate;

        ModernTlsServerSocketFactory(SSLContext context) {
            this.delegate = context.getServerSocketFactory();
        }

        private ServerSocket configure(ServerSocket s) {
            SSLServerSocket ssl = (SSLServerSocket) s;
            SSLParameters p = ssl.getSSLParameters();
            p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            ssl.setSSLParameters(p);
            return ssl;
        }

        @Override
        public ServerSocket createServerSocket() throws IOException {
            return configure(delegate.createServerSocket());
        }

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return configure(delegate.createServerSocket(port));
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog) throws IOException {
            return configure(delegate.createServerSocket(port, backlog));
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
            return configure(delegate.createServerSocket(port, backlog, address));
        }
    }
}
