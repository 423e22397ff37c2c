package io.proxplane.ldap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.unboundid.ldap.protocol.LDAPMessage;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.SearchScope;
import io.proxplane.ldap.auth.PasswordHashes;
import io.proxplane.ldap.directory.DirectoryData;
import io.proxplane.ldap.directory.DirectoryGroup;
import io.proxplane.ldap.directory.DirectoryUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.proxplane.ldap.RawLdap.ascii;
import static io.proxplane.ldap.RawLdap.header;
import static io.proxplane.ldap.RawLdap.integer;
import static io.proxplane.ldap.RawLdap.message;
import static io.proxplane.ldap.RawLdap.tlv;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile LDAP traffic as raw BER against the gateway running as its own process (issue items
 * 6-10): every case is answered with a result code or the connection is closed (after a notice of
 * disconnection where the server can still send one), a normal client keeps being answered
 * throughout, and the process keeps a bounded heap (it runs with -Xmx512m and dies on an
 * OutOfMemoryError, so unbounded buffering fails the suite deterministically) and peak RSS under
 * 1 GiB. Verdicts never depend on speed: each read has only a generous hang guard.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileTrafficTest {
    static final String BASE = "dc=example,dc=com";
    static final String HOSTILE = "127.0.0.1";
    static final String NORMAL = "127.0.0.2";
    static final String CROWD = "127.0.0.3";
    static final int PER_ADDRESS = 16;
    static final int UNWILLING = 53;

    @TempDir
    static Path dir;
    static GatewayProcess gateway;
    static SSLContext tls;
    static final AtomicBoolean stop = new AtomicBoolean();
    static final AtomicLong normalAnswers = new AtomicLong();
    static final AtomicLong slowestNormalNanos = new AtomicLong();
    static final AtomicReference<Throwable> normalFailure = new AtomicReference<>();
    static Thread normalClient;

    @BeforeAll
    static void start() throws Exception {
        List<DirectoryUser> users = new ArrayList<>();
        String ssha = PasswordHashes.ssha("password".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 10_000; i++) users.add(DirectoryUser.of("user" + i, 10_000 + i, 10_000, ssha));
        Path directory = dir.resolve("directory.json");
        new ObjectMapper().registerModule(new JavaTimeModule()).writeValue(directory.toFile(),
                new DirectoryData(users, List.of(DirectoryGroup.of("users", 10_000)), List.of()));
        gateway = GatewayProcess.start(List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError", "-XX:+UseSerialGC"), List.of(
                "--directory-file", directory.toString(), "--base-dn", BASE, "--listen", "127.0.0.1",
                "--ldap-port", "0", "--ldaps-port", "0", "--http-port", "-1",
                "--ca-dir", dir.resolve("ca").toString(), "--tls-san", "127.0.0.1",
                "--ca-cert-out", dir.resolve("ca.pem").toString(),
                "--allow-plaintext-binds", "true", "--idle-timeout", "PT2S",
                "--max-connections-per-address", Integer.toString(PER_ADDRESS)));
        tls = trusting(dir.resolve("ca.pem"));
        normalClient = Thread.ofPlatform().name("normal-client").start(HostileTrafficTest::normalSearches);
    }

    /** A well-behaved client from its own address: bind once, then search for one user again and again. */
    static void normalSearches() {
        try {
            LDAPConnectionOptions options = new LDAPConnectionOptions();
            options.setResponseTimeoutMillis(RawLdap.HANG_GUARD_MILLIS);
            SocketFactory fromNormal = new FixedSourceSocketFactory(NORMAL);
            int i = 0;
            while (!stop.get()) {
                // A fresh connection now and then, so being idle-closed between tests never matters.
                try (LDAPConnection c = new LDAPConnection(fromNormal, options, "127.0.0.1", gateway.ldapPort)) {
                    c.bind("uid=user1,ou=people," + BASE, "password");
                    for (int n = 0; n < 20 && !stop.get(); n++, i++) {
                        long t = System.nanoTime();
                        int found = c.search(BASE, SearchScope.SUB, "(uid=user" + (i % 10_000) + ")", "uidNumber").getEntryCount();
                        slowestNormalNanos.accumulateAndGet(System.nanoTime() - t, Math::max);
                        if (found != 1) throw new AssertionError("normal search found " + found + " entries");
                        normalAnswers.incrementAndGet();
                        Thread.sleep(20);
                    }
                }
            }
        } catch (Throwable t) {
            normalFailure.set(t);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        stop.set(true);
        if (normalClient != null) normalClient.join(TimeUnit.MINUTES.toMillis(2));
        if (gateway != null) gateway.close();
    }

    // ---------------------------------------------------------------- before any bind

    @Test
    @Order(1)
    void filterNestedTenThousandDeepIsRefusedAndTheConnectionStaysUsable() throws Exception {
        try (RawLdap c = RawLdap.connect(HOSTILE, gateway.ldapPort)) {
            c.send(RawLdap.search(1, BASE, RawLdap.nestedNot(10_000)));
            assertThat(RawLdap.resultCode(c.readResult())).isEqualTo(UNWILLING);
            c.send(RawLdap.rootDseSearch(2));
            assertThat(RawLdap.resultCode(c.readResult())).isZero();
        }
    }

    @Test
    @Order(2)
    void malformedPdusCloseTheConnection() throws Exception {
        byte[] random = new byte[4096];
        new Random(13).nextBytes(random);
        List<byte[]> cases = List.of(
                random,
                tlv(0x31, integer(1), tlv(0x42)),                          // SET instead of SEQUENCE
                tlv(0x04, ascii("hello")),                                 // an OCTET STRING as the message
                new byte[] {0x30, (byte) 0x80, 0x02, 0x01, 0x01, 0x42, 0x00, 0x00, 0x00}, // indefinite length
                message(1, tlv(0x79, tlv(0x80, ascii("1.2.3")))),          // a response tag sent as a request
                tlv(0x30, tlv(0x04, ascii("id")), tlv(0x42)),              // message ID that is not an INTEGER
                tlv(0x30, integer(1), tlv(0x63, ascii("junk"))),           // search request with garbage inside
                tlv(0x30, integer(1), header(0x63, 40), tlv(0x04, ascii("x"))), // inner length beyond the message
                new byte[] {0x30, (byte) 0x85, 1, 2, 3, 4, 5});            // five length bytes
        for (byte[] pdu : cases) {
            try (RawLdap c = RawLdap.connect(HOSTILE, gateway.ldapPort)) {
                c.send(pdu);
                List<RawLdap.Reply.Answer> before = c.readUntilClosed();
                assertThat(before).as("only a notice of disconnection may come before the close")
                        .allMatch(RawLdap.Reply.Answer::isNoticeOfDisconnection);
            }
        }
        // A well-framed wrong outer tag is answered with the notice (protocolError) before the close.
        try (RawLdap c = RawLdap.connect(HOSTILE, gateway.ldapPort)) {
            c.send(tlv(0x31, integer(1), tlv(0x42)));
            List<RawLdap.Reply.Answer> before = c.readUntilClosed();
            assertThat(before).hasSize(1);
            assertThat(before.getFirst().isNoticeOfDisconnection()).isTrue();
            assertThat(RawLdap.resultCode(before.getFirst().message())).isEqualTo(2);
        }
    }

    @Test
    @Order(3)
    void oversizedRequestsAreCutOffOnEveryTransport() throws Exception {
        // Plain: a message that declares 1 GiB.
        try (RawLdap c = RawLdap.connect(HOSTILE, gateway.ldapPort)) {
            c.send(header(0x30, 1L << 30));
            c.send(new byte[1000]);
            assertClosedWithNotice(c);
        }
        // After StartTLS: a 10 MB filter and an 8 MB password, sent in full.
        try (RawLdap c = RawLdap.connect(HOSTILE, gateway.ldapPort)) {
            c.startTls(tls, 1);
            c.send(RawLdap.search(2, BASE, RawLdap.equality("uid", "x".repeat(10 << 20))));
            assertNoAnswerButClose(c);
        }
        try (RawLdap c = RawLdap.connect(HOSTILE, gateway.ldapPort)) {
            c.startTls(tls, 1);
            c.send(RawLdap.simpleBind(2, "uid=user1,ou=people," + BASE, new byte[8 << 20]));
            assertNoAnswerButClose(c);
        }
        // LDAPS: the same 10 MB filter.
        try (RawLdap c = RawLdap.connectTls(HOSTILE, gateway.ldapsPort, tls)) {
            c.send(RawLdap.search(1, BASE, RawLdap.equality("uid", "x".repeat(10 << 20))));
            assertNoAnswerButClose(c);
        }
    }

    @Test
    @Order(4)
    void liesAboutLengthCannotMakeTheGatewayAllocate() throws Exception {
        // Eight connections (under the per-address cap) over StartTLS and LDAPS each announce a
        // 200 MB base DN and send a few bytes of it: a reader that allocates what the client
        // announces needs 800 MB or more, more than the gateway's 512 MB heap.
        List<RawLdap> open = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                RawLdap c = i % 2 == 0 ? RawLdap.connect(HOSTILE, gateway.ldapPort) : RawLdap.connectTls(HOSTILE, gateway.ldapsPort, tls);
                if (i % 2 == 0) c.startTls(tls, 1);
                open.add(c);
                long dn = 200L << 20;
                byte[] op = RawLdap.concat(header(0x63, dn + 100), header(0x04, dn), ascii("uid=a,"));
                c.send(RawLdap.concat(header(0x30, dn + 200), integer(2), op));
            }
            for (RawLdap c : open) assertNoAnswerButClose(c);
        } finally {
            open.forEach(RawLdap::close);
        }
        assertThat(gateway.process.isAlive()).as("gateway survived").isTrue();
    }

    @Test
    @Order(5)
    void longAndDeepDnsAreRefusedWithoutQuadraticWork() throws Exception {
        try (RawLdap c = RawLdap.connect(HOSTILE, gateway.ldapPort)) {
            // 216 KB base DN (under the message limit): refused, not walked parent by parent.
            String longDn = "cn=x,".repeat(43_000) + BASE;
            c.send(RawLdap.search(1, longDn, RawLdap.present("objectClass")));
            assertThat(RawLdap.resultCode(c.readResult())).isEqualTo(UNWILLING);
            // Short but with 200 RDNs.
            c.send(RawLdap.search(2, "a=1,".repeat(200) + BASE, RawLdap.present("objectClass")));
            assertThat(RawLdap.resultCode(c.readResult())).isEqualTo(UNWILLING);
            // A long bind DN.
            c.send(RawLdap.simpleBind(3, "cn=x,".repeat(20_000) + BASE, ascii("pw")));
            assertThat(RawLdap.resultCode(c.readResult())).isEqualTo(UNWILLING);
            // The connection is still fine.
            c.send(RawLdap.rootDseSearch(4));
            assertThat(RawLdap.resultCode(c.readResult())).isZero();
        }
    }

    // ---------------------------------------------------------------- after a bind

    @Test
    @Order(6)
    void substringComponentsCountTowardsTheFilterLimit() throws Exception {
        try (RawLdap c = RawLdap.connect(HOSTILE, gateway.ldapPort)) {
            c.send(RawLdap.simpleBind(1, "uid=user2,ou=people," + BASE, ascii("password")));
            assertThat(RawLdap.resultCode(c.readResult())).isZero();
            // 60,000 substring components over 10,000 users.
            c.send(RawLdap.search(2, BASE, RawLdap.substrings("cn", 60_000, "a")));
            assertThat(RawLdap.resultCode(c.readResult())).isEqualTo(UNWILLING);
            // 5,000 ORed equalities.
            List<byte[]> many = new ArrayList<>();
            for (int i = 0; i < 5000; i++) many.add(RawLdap.equality("uid", "u" + i));
            c.send(RawLdap.search(3, BASE, RawLdap.or(many)));
            assertThat(RawLdap.resultCode(c.readResult())).isEqualTo(UNWILLING);
            // A reasonable substring filter is served.
            c.send(RawLdap.search(4, BASE, RawLdap.substrings("uid", 2, "er99")));
            assertThat(RawLdap.resultCode(c.readResult())).isZero();
        }
    }

    // ---------------------------------------------------------------- holding connections

    @Test
    @Order(7)
    void idleAndHalfSentConnectionsAreClosed() throws Exception {
        try (RawLdap idle = RawLdap.connect(HOSTILE, gateway.ldapPort);
             RawLdap slow = RawLdap.connect(HOSTILE, gateway.ldapPort);
             RawLdap tlsIdle = RawLdap.connectTls(HOSTILE, gateway.ldapsPort, tls)) {
            byte[] half = RawLdap.search(1, BASE, RawLdap.present("objectClass"));
            slow.send(java.util.Arrays.copyOf(half, half.length / 2));
            assertThat(idle.readUntilClosed()).allMatch(RawLdap.Reply.Answer::isNoticeOfDisconnection);
            assertThat(slow.readUntilClosed()).allMatch(RawLdap.Reply.Answer::isNoticeOfDisconnection);
            assertThat(tlsIdle.readUntilClosed()).allMatch(RawLdap.Reply.Answer::isNoticeOfDisconnection);
        }
        // A bare TCP connection that never starts the LDAPS handshake is closed too (readNBytes ends at EOF).
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(HOSTILE), 0));
            s.connect(new InetSocketAddress("127.0.0.1", gateway.ldapsPort));
            s.setSoTimeout(RawLdap.HANG_GUARD_MILLIS);
            // At most a TLS alert comes before the end of the stream.
            assertThat(s.getInputStream().readNBytes(4096).length).isLessThan(4096);
        }
    }

    @Test
    @Order(8)
    void connectionsPerAddressAreCapped() throws Exception {
        List<RawLdap> crowd = new ArrayList<>();
        try {
            for (int i = 0; i < PER_ADDRESS; i++) {
                RawLdap c = RawLdap.connect(CROWD, gateway.ldapPort);
                crowd.add(c);
                c.send(RawLdap.rootDseSearch(1));
                assertThat(RawLdap.resultCode(c.readResult())).isZero();
            }
            try (RawLdap extra = RawLdap.connect(CROWD, gateway.ldapPort)) {
                List<RawLdap.Reply.Answer> before = extra.readUntilClosed();
                assertThat(before).hasSize(1);
                assertThat(before.getFirst().isNoticeOfDisconnection()).isTrue();
                assertThat(RawLdap.resultCode(before.getFirst().message())).isEqualTo(51); // busy
            }
            // Other addresses are not affected.
            try (RawLdap other = RawLdap.connect(HOSTILE, gateway.ldapPort)) {
                other.send(RawLdap.rootDseSearch(1));
                assertThat(RawLdap.resultCode(other.readResult())).isZero();
            }
            // A slot freed is a slot usable again (the gateway notices the close on its own time).
            crowd.removeFirst().close();
            boolean served = false;
            for (int attempt = 0; attempt < 600 && !served; attempt++) {
                try (RawLdap again = RawLdap.connect(CROWD, gateway.ldapPort)) {
                    again.send(RawLdap.rootDseSearch(1));
                    RawLdap.Reply r = again.read();
                    served = r instanceof RawLdap.Reply.Answer a && !a.isNoticeOfDisconnection();
                }
                if (!served) Thread.sleep(100);
            }
            assertThat(served).isTrue();
        } finally {
            crowd.forEach(RawLdap::close);
        }
    }

    // ---------------------------------------------------------------- throughout

    @Test
    @Order(100)
    void normalClientsWereAnsweredThroughoutAndMemoryStayedBounded() throws Exception {
        // Let the normal client run a little beyond the hostile cases.
        long target = normalAnswers.get() + 20;
        for (int i = 0; i < 6000 && normalAnswers.get() < target && normalFailure.get() == null; i++) Thread.sleep(10);
        stop.set(true);
        normalClient.join(TimeUnit.MINUTES.toMillis(2));
        assertThat(normalFailure.get()).as("the normal client's error").isNull();
        assertThat(normalAnswers.get()).isGreaterThan(20);
        System.out.printf("normal searches answered: %d, slowest %.1f ms%n", normalAnswers.get(),
                slowestNormalNanos.get() / 1e6);
        assertThat(gateway.process.isAlive()).isTrue();
        long peak = gateway.peakRssBytes();
        System.out.printf("gateway peak RSS %d MiB%n", peak >> 20);
        assertThat(peak).isLessThan(1L << 30);
    }

    // ---------------------------------------------------------------- helpers

    /** The server closes; anything it sent first is a notice of disconnection, never an answer. */
    static void assertNoAnswerButClose(RawLdap c) throws IOException {
        assertThat(c.readUntilClosed()).allMatch(RawLdap.Reply.Answer::isNoticeOfDisconnection);
    }

    static void assertClosedWithNotice(RawLdap c) throws IOException {
        List<RawLdap.Reply.Answer> before = c.readUntilClosed();
        assertThat(before).hasSize(1);
        assertThat(before.getFirst().isNoticeOfDisconnection()).isTrue();
    }

    static SSLContext trusting(Path caPem) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** Plain sockets from one local loopback address. */
    static final class FixedSourceSocketFactory extends SocketFactory {
        private final InetAddress local;

        FixedSourceSocketFactory(String local) throws IOException {
            this.local = InetAddress.getByName(local);
        }

        @Override
        public Socket createSocket() throws IOException {
            Socket s = new Socket();
            s.bind(new InetSocketAddress(local, 0));
            return s;
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return createSocket(InetAddress.getByName(host), port);
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            Socket s = createSocket();
            s.connect(new InetSocketAddress(host, port));
            return s;
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return createSocket(InetAddress.getByName(host), port);
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            return createSocket(address, port);
        }
    }
}
