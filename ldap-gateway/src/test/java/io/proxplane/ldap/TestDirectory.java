package io.proxplane.ldap;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.proxplane.ldap.auth.BindAuditEvent;
import io.proxplane.ldap.auth.BindThrottle;
import io.proxplane.ldap.auth.PasswordHashes;
import io.proxplane.ldap.directory.AccountStatus;
import io.proxplane.ldap.directory.DirectoryGroup;
import io.proxplane.ldap.directory.DirectoryLayout;
import io.proxplane.ldap.directory.DirectoryUser;
import io.proxplane.ldap.directory.InMemoryDirectorySource;
import io.proxplane.ldap.directory.SecondFactor;
import io.proxplane.ldap.directory.ServiceAccount;
import io.proxplane.ldap.push.PushCoordinator;
import io.proxplane.ldap.server.GatewayConfig;

import javax.net.ssl.SSLContext;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The test directory of ldap-clients.md §1 (alice 2001 in devs 3001 + ops 3003, bob 2002 with
 * group bob 3002 and in devs) plus a suspended user, a pending user, a push-2FA user and a
 * service account. Passwords use cheap argon2id so the suite stays fast.
 */
public final class TestDirectory {
    public static final String BASE = "dc=example,dc=com";
    public static final PasswordHashes.Argon2Cost CHEAP = new PasswordHashes.Argon2Cost(1024, 1, 1);
    public static final PasswordHashes HASHES = new PasswordHashes(CHEAP);

    private TestDirectory() {
    }

    public static String hash(String password) {
        return HASHES.hash(password.getBytes(StandardCharsets.UTF_8));
    }

    public static InMemoryDirectorySource standard() {
        InMemoryDirectorySource s = new InMemoryDirectorySource();
        Instant t = Instant.parse("2026-01-15T10:00:00Z");
        s.putUser(new DirectoryUser("alice", 2001, 3001, "Alice", "Liddell", null, "alice@example.com", "/bin/bash",
                "/home/alice", List.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAlice alice@laptop"), hash("alice-secret"),
                AccountStatus.ACTIVE, SecondFactor.NONE, t, t));
        s.putUser(new DirectoryUser("bob", 2002, 3002, "Bob", "Builder", null, "bob@example.com", "/bin/zsh", null,
                List.of(), "{CRYPT}" + io.proxplane.ldap.auth.ShaCrypt.crypt("bob-secret".getBytes(StandardCharsets.UTF_8),
                "$6$bobsalt"), AccountStatus.ACTIVE, SecondFactor.NONE, null, t));
        s.putUser(new DirectoryUser("carol", 2003, 3001, "Carol", "Suspended", null, null, null, null, List.of(),
                hash("carol-secret"), AccountStatus.SUSPENDED, SecondFactor.NONE, null, t));
        s.putUser(new DirectoryUser("erin", 2005, 3001, null, null, null, null, null, null, List.of(),
                hash("erin-secret"), AccountStatus.PENDING, SecondFactor.NONE, null, t));
        s.putUser(new DirectoryUser("dave", 2004, 3001, "Dave", "Push", null, null, null, null, List.of(),
                hash("dave-secret"), AccountStatus.ACTIVE, SecondFactor.PUSH, null, t));
        s.putGroup(DirectoryGroup.of("devs", 3001, "alice", "bob"));
        s.putGroup(DirectoryGroup.of("bob", 3002));
        s.putGroup(DirectoryGroup.of("ops", 3003, "alice"));
        s.putServiceAccount(new ServiceAccount("ct-104", hash("service-secret")));
        return s;
    }

    /** A running gateway over a source; plain LDAP allows password binds unless TLS is given. */
    public static final class Running implements AutoCloseable {
        public final Gateway gateway;
        public final SimpleMeterRegistry meters = new SimpleMeterRegistry();
        public final List<BindAuditEvent> audit = new CopyOnWriteArrayList<>();

        public Running(InMemoryDirectorySource source, GatewayConfig config, SSLContext tls, PushCoordinator push,
                       BindThrottle.Policy throttle) throws Exception {
            gateway = new Gateway(new Gateway.Settings(new DirectoryLayout(BASE, false), config, CHEAP, throttle,
                    InetAddress.getLoopbackAddress(), 0, tls == null ? -1 : 0, tls, Duration.ofMinutes(10), true),
                    source, push, audit::add, meters, Clock.systemUTC());
        }

        public Running(InMemoryDirectorySource source) throws Exception {
            this(source, GatewayConfig.defaults().withRequireTlsForBind(false), null, null, BindThrottle.Policy.DEFAULT);
        }

        public int port() {
            return gateway.ldapPort();
        }

        @Override
        public void close() {
            gateway.close();
        }
    }
}
