package io.proxplane.ldap;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchScope;
import io.proxplane.core.registry.Registry;
import io.proxplane.core.registry.RegistryConfig;
import io.proxplane.core.registry.UserSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

import static io.proxplane.ldap.PagingAndHostileRequestsTest.code;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry goes away (a TCP proxy in front of the real PostgreSQL is cut; the machine's
 * PostgreSQL itself is never touched): a gateway started during the outage serves the snapshot it
 * saved on disk, stays ready while saying "stale", and the binds it audits during the outage reach
 * the registry's audit_log once the registry is back.
 */
class RegistryOutageTest {
    static final String PG = "jdbc:postgresql://127.0.0.1:5432/";
    static final String BASE = "dc=example,dc=com";
    static String dbName;

    @TempDir
    static Path dir;

    @BeforeAll
    static void createDatabase() throws Exception {
        dbName = "proxplane_ldap_outage_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffffL);
        RegistryDirectorySourceTest.admin("create database " + dbName);
        try (Registry registry = Registry.open(RegistryConfig.of(PG + dbName, "postgres", null))) {
            registry.users().upsert("terraform:outage", new UserSpec("alice", 2001, "Alice", "Liddell", null, "/bin/bash",
                    List.of(), TestDirectory.hash("alice-secret"), "active", "none"));
        }
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        RegistryDirectorySourceTest.admin("drop database if exists " + dbName + " with (force)");
    }

    /** A TCP proxy to PostgreSQL that can be cut (port closed, connections dropped) and restored on the same port. */
    static final class CuttableProxy implements AutoCloseable {
        private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
        private volatile ServerSocket server;
        private final int port;

        CuttableProxy() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            port = server.getLocalPort();
            serve(server);
        }

        private void serve(ServerSocket s) {
            Thread.ofPlatform().daemon(true).start(() -> {
                try {
                    while (true) {
                        Socket client = s.accept();
                        Socket upstream = new Socket("127.0.0.1", 5432);
                        sockets.add(client);
                        sockets.add(upstream);
                        pump(client, upstream);
                        pump(upstream, client);
                    }
                } catch (IOException stopped) {
                    // cut
                }
            });
        }

        private void pump(Socket from, Socket to) {
            Thread.ofPlatform().daemon(true).start(() -> {
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    in.transferTo(out);
                } catch (IOException ignored) {
                    // one side closed
                } finally {
                    closeQuietly(from);
                    closeQuietly(to);
                }
            });
        }

        void cut() throws IOException {
            server.close();
            for (Socket s : sockets) closeQuietly(s);
            sockets.clear();
        }

        void restore() throws Exception {
            for (long end = System.nanoTime() + Duration.ofMinutes(2).toNanos(); ; Thread.sleep(50)) {
                ServerSocket s = new ServerSocket();
                s.setReuseAddress(true);
                try {
                    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
                    server = s;
                    serve(s);
                    return;
                } catch (IOException busy) {
                    s.close();
                    if (System.nanoTime() > end) throw busy;
                }
            }
        }

        @Override
        public void close() throws IOException {
            cut();
        }

        private static void closeQuietly(Socket s) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    static List<String> flags(int proxyPort, Path snapshot) {
        return List.of("--registry-url", "jdbc:postgresql://127.0.0.1:" + proxyPort + "/" + dbName, "--registry-user", "postgres",
                "--base-dn", BASE, "--listen", "127.0.0.1", "--ldap-port", "0", "--http-port", "0",
                "--allow-plaintext-binds", "true", "--snapshot-file", snapshot.toString(), "--max-staleness", "PT1S");
    }

    static HttpResponse<String> readyz(GatewayProcess g) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.httpPort + "/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    /** Polls a condition with a hang guard of minutes (never a verdict on speed). */
    static void await(String what, BooleanSupplier condition) throws Exception {
        for (long end = System.nanoTime() + Duration.ofMinutes(3).toNanos(); System.nanoTime() < end; Thread.sleep(100)) {
            if (condition.getAsBoolean()) return;
        }
        throw new AssertionError("not reached: " + what);
    }

    static int auditedBindsSince(Instant since) {
        try (Connection c = DriverManager.getConnection(PG + dbName, "postgres", null); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from audit_log where object_kind = 'ldap_bind' and at >= '"
                     + Timestamp.from(since) + "'")) {
            rs.next();
            return rs.getInt(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean ready(GatewayProcess g, String prefix) {
        try {
            HttpResponse<String> r = readyz(g);
            return r.statusCode() == 200 && r.body().startsWith(prefix);
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void aGatewayStartedDuringAnOutageServesItsSavedSnapshotAndKeepsItsAudit() throws Exception {
        Path snapshot = dir.resolve("state/directory-snapshot.json");
        try (CuttableProxy proxy = new CuttableProxy()) {
            // 1. With the registry up, the gateway saves what it serves.
            try (GatewayProcess first = GatewayProcess.start(List.of("-Xmx256m"), flags(proxy.port, snapshot))) {
                await("first gateway loaded the registry", () -> ready(first, "ready: ") && Files.exists(snapshot));
            }
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(snapshot))).isEqualTo("rw-------");

            // 2. The registry is unreachable; a new gateway starts anyway, from the saved snapshot.
            proxy.cut();
            Instant outage = Instant.now().minusSeconds(1);
            try (GatewayProcess second = GatewayProcess.start(List.of("-Xmx256m"), flags(proxy.port, snapshot))) {
                await("second gateway ready (stale)", () -> ready(second, "ready, stale:"));
                assertThat(readyz(second).body()).contains("from the snapshot saved on disk");
                List<ResultCode> codes = new ArrayList<>();
                try (LDAPConnection c = new LDAPConnection("127.0.0.1", second.ldapPort)) {
                    codes.add(c.bind("uid=alice,ou=people," + BASE, "alice-secret").getResultCode());
                    assertThat(c.search(BASE, SearchScope.SUB, "(uid=alice)").getEntryCount()).isEqualTo(1);
                    codes.add(code(() -> c.bind("uid=alice,ou=people," + BASE, "wrong")));
                    codes.add(c.bind("uid=alice,ou=people," + BASE, "alice-secret").getResultCode());
                }
                assertThat(codes).containsExactly(ResultCode.SUCCESS, ResultCode.INVALID_CREDENTIALS, ResultCode.SUCCESS);

                // 3. The registry comes back: the queued audit rows are written, and the replica catches up.
                proxy.restore();
                await("the three binds audited after recovery", () -> auditedBindsSince(outage) >= 3);
                assertThat(auditedBindsSince(outage)).isEqualTo(3);
                await("second gateway current again", () -> ready(second, "ready: "));
            }
        }
    }
}
