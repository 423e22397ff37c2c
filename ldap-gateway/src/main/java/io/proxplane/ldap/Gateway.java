package io.proxplane.ldap;

import io.micrometer.core.instrument.MeterRegistry;
import io.proxplane.ldap.auth.Authenticator;
import io.proxplane.ldap.auth.BindAuditor;
import io.proxplane.ldap.auth.BindThrottle;
import io.proxplane.ldap.auth.PasswordHashes;
import io.proxplane.ldap.directory.DirectoryLayout;
import io.proxplane.ldap.directory.DirectorySource;
import io.proxplane.ldap.directory.SnapshotRefresher;
import io.proxplane.ldap.directory.SnapshotStore;
import io.proxplane.ldap.push.PushCoordinator;
import io.proxplane.ldap.server.GatewayConfig;
import io.proxplane.ldap.server.GatewayServer;

import javax.net.ssl.SSLContext;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** Wires the gateway's parts together; used by {@link Main} and by the tests, so both run the same assembly. */
public final class Gateway implements AutoCloseable {
    private final SnapshotRefresher refresher;
    private final GatewayServer server;
    private final PushCoordinator push;

    /** @param snapshotFile where the last good directory is kept for starts while the registry is down (null: nowhere) */
    public record Settings(DirectoryLayout layout, GatewayConfig config, PasswordHashes.Argon2Cost argon2,
                           BindThrottle.Policy throttle, InetAddress address, int ldapPort, int ldapsPort,
                           SSLContext tls, Duration resync, boolean requireInitialLoad, Path snapshotFile) {
        public Settings(DirectoryLayout layout, GatewayConfig config, PasswordHashes.Argon2Cost argon2,
                        BindThrottle.Policy throttle, InetAddress address, int ldapPort, int ldapsPort,
                        SSLContext tls, Duration resync, boolean requireInitialLoad) {
            this(layout, config, argon2, throttle, address, ldapPort, ldapsPort, tls, resync, requireInitialLoad, null);
        }
    }

    public Gateway(Settings s, DirectorySource source, PushCoordinator push, BindAuditor auditor, MeterRegistry meters,
                   Clock clock) throws Exception {
        this.push = push;
        this.refresher = new SnapshotRefresher(source, s.snapshotFile() == null ? null : new SnapshotStore(s.snapshotFile()),
                s.layout(), meters, clock);
        if (s.requireInitialLoad()) refresher.start(s.resync());
        else refresher.startLenient(s.resync());
        Authenticator authenticator = new Authenticator(refresher, new PasswordHashes(s.argon2()),
                new BindThrottle(s.throttle(), clock), push, auditor, meters, clock);
        try {
            this.server = new GatewayServer(s.config(), refresher, source, authenticator, meters, s.tls(), s.address(),
                    s.ldapPort(), s.ldapsPort(), clock);
        } catch (Exception e) {
            refresher.close();
            throw e;
        }
    }

    public SnapshotRefresher refresher() {
        return refresher;
    }

    public int ldapPort() {
        return server.ldapPort();
    }

    public int ldapsPort() {
        return server.ldapsPort();
    }

    @Override
    public void close() {
        server.close();
        refresher.close();
        if (push != null) push.close();
    }
}
