package io.proxplane.ldap.server;

import com.unboundid.ldap.listener.LDAPListener;
import com.unboundid.ldap.listener.LDAPListenerConfig;
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

/** The plain (with StartTLS) and LDAPS listeners over one shared request handler prototype. */
public final class GatewayServer implements AutoCloseable {
    private final LDAPListener plain;
    private final LDAPListener ldaps;

    /**
     * @param ldapPort  port for ldap:// (0 picks a free one, -1 disables)
     * @param ldapsPort port for ldaps:// (0 picks a free one, -1 disables); needs {@code tls}
     * @param tls       server TLS context for LDAPS and StartTLS, or null for neither
     */
    public GatewayServer(GatewayConfig config, Supplier<DirectorySnapshot> snapshots, DirectorySource source,
                         Authenticator authenticator, MeterRegistry meters, SSLContext tls, InetAddress address,
                         int ldapPort, int ldapsPort, Clock clock) throws IOException {
        SpecialEntries special = SpecialEntries.build(snapshots.get().layout(), tls != null);
        GatewayContext ctx = new GatewayContext(config, snapshots, source, authenticator, meters, tls, clock, special);
        GatewayRequestHandler prototype = new GatewayRequestHandler(ctx);
        LDAPListener plainListener = null;
        LDAPListener ldapsListener = null;
        try {
            if (ldapPort >= 0) {
                plainListener = new LDAPListener(listenerConfig(prototype, address, ldapPort, config));
                plainListener.startListening();
            }
            if (ldapsPort >= 0) {
                if (tls == null) throw new IllegalArgumentException("LDAPS needs a TLS certificate");
                LDAPListenerConfig c = listenerConfig(prototype, address, ldapsPort, config);
                c.setServerSocketFactory(new ModernTlsServerSocketFactory(tls));
                ldapsListener = new LDAPListener(c);
                ldapsListener.startListening();
            }
        } catch (IOException | RuntimeException e) {
            if (plainListener != null) plainListener.shutDown(true);
            throw e;
        }
        this.plain = plainListener;
        this.ldaps = ldapsListener;
    }

    private static LDAPListenerConfig listenerConfig(GatewayRequestHandler handler, InetAddress address, int port,
                                                     GatewayConfig config) {
        LDAPListenerConfig c = new LDAPListenerConfig(port, handler);
        c.setListenAddress(address);
        c.setMaxMessageSizeBytes(config.maxMessageBytes());
        c.setMaxConnections(config.maxConnections());
        c.setUseTCPNoDelay(true);
        c.setUseKeepAlive(true);
        return c;
    }

    public int ldapPort() {
        return plain == null ? -1 : plain.getListenPort();
    }

    public int ldapsPort() {
        return ldaps == null ? -1 : ldaps.getListenPort();
    }

    @Override
    public void close() {
        if (plain != null) plain.shutDown(true);
        if (ldaps != null) ldaps.shutDown(true);
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
