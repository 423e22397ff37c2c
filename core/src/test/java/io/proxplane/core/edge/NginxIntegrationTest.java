package io.proxplane.core.edge;

import static io.proxplane.core.edge.EdgeFixtures.authServer;
import static io.proxplane.core.edge.EdgeFixtures.externalDomain;
import static io.proxplane.core.edge.EdgeFixtures.http;
import static io.proxplane.core.edge.EdgeFixtures.ip;
import static io.proxplane.core.edge.EdgeFixtures.stream;
import static org.assertj.core.api.Assertions.assertThat;

import io.proxplane.core.edge.NginxSettings.TlsFiles;
import io.proxplane.core.edge.TestServers.Seen;
import io.proxplane.core.model.BackendProtocol;
import io.proxplane.core.model.ConfigPath;
import io.proxplane.core.model.Port;
import io.proxplane.core.model.TransportProtocol;
import io.proxplane.core.model.UploadSize;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real nginx on loopback high ports with a rendered configuration and drives it with real
 * TLS clients against local backends and a local fake auth server.
 */
class NginxIntegrationTest {

    @TempDir
    static Path dir;

    static TestServers servers;
    static TestTls tls;
    static Process nginx;
    static Path nginxBinary;
    static Path configDir;
    static NginxSettings settings;
    static EdgeSnapshot snapshot;
    static OkHttpClient client;
    static int httpsPort;
    static int httpPort;
    static int tcpPort;
    static int udpPort;
    static final ConcurrentLinkedQueue<Seen> backendSeen = new ConcurrentLinkedQueue<>();
    static final ConcurrentLinkedQueue<Seen> secureSeen = new ConcurrentLinkedQueue<>();
    static final ConcurrentLinkedQueue<Seen> authSeen = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void startNginx() throws Exception {
        nginxBinary = EdgeBinaries.require("nginx");
        List<ConfigPath> modules = EdgeBinaries.requiredModules(nginxBinary).stream()
                .map(p -> ConfigPath.of("module", p.toString())).toList();

        tls = TestTls.create(dir, List.of("example.test", "*.example.test", "other.test", "*.other.test", "unknown.invalid"));
        servers = new TestServers();
        int backend = servers.httpBackend("web", null, backendSeen);
        int secureBackend = servers.httpBackend("secure", tls.serverContext(), secureSeen);
        int auth = servers.authServer(authSeen);
        int ws = servers.webSocketBackend();
        int tcpBackend = servers.tcpUpperCase();
        int udpBackend = servers.udpUpperCase();

        httpsPort = TestServers.freeTcpPort();
        httpPort = TestServers.freeTcpPort();
        tcpPort = TestServers.freeTcpPort();
        udpPort = TestServers.freeUdpPort();

        ConfigPath cert = ConfigPath.of("cert", tls.certificatePem.toString());
        ConfigPath key = ConfigPath.of("key", tls.keyPem.toString());
        snapshot = new EdgeSnapshot(42, EdgeFixtures.site(),
                List.of(externalDomain("example.test", cert, key,
                                Optional.of(authServer("http://127.0.0.1:" + auth + "/verify", "https://auth.example.test/login"))),
                        externalDomain("other.test", cert, key, Optional.empty())),
                List.of(),
                List.of(http("web", "example.test", "127.0.0.1", backend, BackendProtocol.HTTP, false, false),
                        http("admin", "example.test", "127.0.0.1", backend, BackendProtocol.HTTP, true, false),
                        http("secure", "example.test", "127.0.0.1", secureBackend, BackendProtocol.HTTPS, false, false),
                        http("ws", "example.test", "127.0.0.1", ws, BackendProtocol.HTTP, false, true),
                        http("secret", "other.test", "127.0.0.1", backend, BackendProtocol.HTTP, true, false)),
                List.of(stream(TransportProtocol.TCP, tcpPort, "127.0.0.1", tcpBackend),
                        stream(TransportProtocol.UDP, udpPort, "127.0.0.1", udpBackend)),
                List.of());

        configDir = Files.createDirectories(dir.resolve("conf"));
        Path runtimeDir = Files.createDirectories(dir.resolve("run"));
        settings = NginxSettings.defaults()
                .withListen(ip("127.0.0.1"), new Port(httpsPort), Optional.of(new Port(httpPort)))
                .withDirectories(ConfigPath.of("conf", configDir.toString()), ConfigPath.of("run", runtimeDir.toString()))
                .withModules(modules)
                .withDefaultCertificate(Optional.of(new TlsFiles(cert, key)))
                .withWorkerUser(EdgeBinaries.runningAsRoot() ? Optional.of("root") : Optional.empty())
                .withClientMaxBodySize(UploadSize.of("clientMaxBodySize", "4m"));
        for (Map.Entry<String, String> file : NginxRenderer.render(snapshot, settings).files().entrySet()) {
            Files.writeString(configDir.resolve(file.getKey()), file.getValue());
        }

        EdgeBinaries.Result test = EdgeBinaries.run(nginxCommand("-t"), 30);
        assertThat(test.exitCode()).as("nginx -t output:\n%s", test.output()).isZero();
        assertThat(test.output()).contains("syntax is ok").contains("test is successful");

        List<String> command = nginxCommand("-g", "daemon off;");
        nginx = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("nginx-console.log").toFile()).start();
        waitForPort(httpsPort);

        client = new OkHttpClient.Builder()
                .dns(hostname -> List.of(InetAddress.getLoopbackAddress()))
                .sslSocketFactory(tls.clientContext().getSocketFactory(), tls.trustManager())
                .followRedirects(false)
                .followSslRedirects(false)
                .callTimeout(Duration.ofSeconds(20))
                .build();
    }

    static List<String> nginxCommand(String... extra) {
        List<String> command = new java.util.ArrayList<>(List.of(nginxBinary.toString(), "-p", dir.toString(),
                "-e", dir.resolve("startup-error.log").toString(), "-c", configDir.resolve("nginx.conf").toString()));
        command.addAll(List.of(extra));
        return command;
    }

    static void waitForPort(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!nginx.isAlive()) {
                throw new AssertionError("nginx exited with " + nginx.exitValue() + ":\n" + logs());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(TestServers.LOOPBACK, port), 200);
                return;
            } catch (java.io.IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("nginx did not listen on " + port + ":\n" + logs());
    }

    static String logs() throws Exception {
        StringBuilder out = new StringBuilder();
        for (Path log : List.of(dir.resolve("nginx-console.log"), dir.resolve("run/error.log"))) {
            if (Files.exists(log)) {
                out.append("--- ").append(log).append('\n').append(Files.readString(log));
            }
        }
        return out.toString();
    }

    @AfterAll
    static void stopNginx() throws Exception {
        if (nginx != null) {
            nginx.destroy();
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                nginx.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (servers != null) {
            servers.close();
        }
        if (client != null) {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    static String url(String host, String path) {
        return "https://" + host + ":" + httpsPort + path;
    }

    static Seen lastRequest(ConcurrentLinkedQueue<Seen> seen, String uri) {
        return seen.stream().filter(s -> s.uri().equals(uri)).reduce((first, second) -> second)
                .orElseThrow(() -> new AssertionError("the backend never saw " + uri + "; it saw " + seen));
    }

    @Test
    void aBrokenConfigIsRejectedByNginxTest() throws Exception {
        Path broken = Files.createDirectories(dir.resolve("broken"));
        Files.writeString(broken.resolve("nginx.conf"), "events {}\nhttp { server { listen 127.0.0.1:1; bogus_directive on; } }\n");
        EdgeBinaries.Result result = EdgeBinaries.run(List.of(nginxBinary.toString(), "-p", broken.toString(),
                "-e", broken.resolve("error.log").toString(), "-c", broken.resolve("nginx.conf").toString(), "-t"), 30);
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("bogus_directive");
    }

    @Test
    void configWithoutDefaultCertificateRejectsUnknownNamesAndPassesNginxTest() throws Exception {
        Path other = Files.createDirectories(dir.resolve("no-default-cert"));
        NginxSettings variant = settings.withDefaultCertificate(Optional.empty())
                .withDirectories(ConfigPath.of("conf", other.toString()), ConfigPath.of("run", other.toString()));
        NginxConfig config = NginxRenderer.render(snapshot, variant);
        assertThat(config.httpConf()).contains("ssl_reject_handshake on;");
        for (Map.Entry<String, String> file : config.files().entrySet()) {
            Files.writeString(other.resolve(file.getKey()), file.getValue());
        }
        EdgeBinaries.Result result = EdgeBinaries.run(List.of(nginxBinary.toString(), "-p", other.toString(),
                "-e", other.resolve("startup-error.log").toString(), "-c", other.resolve("nginx.conf").toString(), "-t"), 30);
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void requestReachesBackendOverHttp2WithForwardedHeaders() throws Exception {
        Request request = new Request.Builder().url(url("web.example.test", "/hello?x=1"))
                .header("X-User-ID", "0").header("X-Username", "root").build();
        try (Response response = client.newCall(request).execute()) {
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.protocol()).isEqualTo(Protocol.HTTP_2);
            assertThat(response.body().string()).isEqualTo("backend:web");
            assertThat(response.header("Strict-Transport-Security")).startsWith("max-age=");
        }
        Seen seen = lastRequest(backendSeen, "/hello?x=1");
        assertThat(seen.header("Host")).isEqualTo("web.example.test");
        assertThat(seen.header("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(seen.header("X-Forwarded-Host")).isEqualTo("web.example.test");
        assertThat(seen.header("X-Forwarded-Port")).isEqualTo(Integer.toString(httpsPort));
        assertThat(seen.header("X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(seen.header("X-Real-IP")).isEqualTo("127.0.0.1");
        // identity headers sent by the client are dropped on every service
        assertThat(seen.header("X-User-ID")).isNull();
        assertThat(seen.header("X-Username")).isNull();
    }

    @Test
    void largeUploadsStreamUpToTheLimitAndAreRefusedAbove() throws Exception {
        byte[] body = new byte[3 * 1024 * 1024];
        Request ok = new Request.Builder().url(url("web.example.test", "/upload"))
                .post(RequestBody.create(body, MediaType.get("application/octet-stream"))).build();
        try (Response response = client.newCall(ok).execute()) {
            assertThat(response.code()).isEqualTo(200);
        }
        assertThat(lastRequest(backendSeen, "/upload").bodyBytes()).isEqualTo(body.length);

        Request tooLarge = new Request.Builder().url(url("web.example.test", "/too-large"))
                .post(RequestBody.create(new byte[5 * 1024 * 1024], MediaType.get("application/octet-stream"))).build();
        try (Response response = client.newCall(tooLarge).execute()) {
            assertThat(response.code()).isEqualTo(413);
        }
    }

    @Test
    void httpsBackendIsReached() throws Exception {
        try (Response response = client.newCall(new Request.Builder().url(url("secure.example.test", "/tls")).build()).execute()) {
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.body().string()).isEqualTo("backend:secure");
        }
        assertThat(lastRequest(secureSeen, "/tls").header("Host")).isEqualTo("secure.example.test");
    }

    @Test
    void webSocketUpgradePassesBytesBothWays() throws Exception {
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress(TestServers.LOOPBACK, httpsPort), 5000);
            try (SSLSocket socket = (SSLSocket) tls.clientContext().getSocketFactory()
                    .createSocket(raw, "ws.example.test", httpsPort, true)) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                parameters.setApplicationProtocols(new String[] {"http/1.1"});
                socket.setSSLParameters(parameters);
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write(("GET /chat HTTP/1.1\r\nHost: ws.example.test:" + httpsPort + "\r\n"
                        + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String head = TestServers.readHead(socket.getInputStream());
                assertThat(head).startsWith("HTTP/1.1 101");
                assertThat(head).containsIgnoringCase("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
                out.write("ping\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                String answer = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
                assertThat(answer).isEqualTo("pong ping");
            }
        }
    }

    @Test
    void protectedServicePassesIdentityHeadersFromTheAuthServer() throws Exception {
        Request request = new Request.Builder().url(url("admin.example.test", "/dashboard?tab=1"))
                .header("Cookie", "session=good").header("X-Username", "mallory").build();
        try (Response response = client.newCall(request).execute()) {
            assertThat(response.code()).isEqualTo(200);
        }
        Seen seen = lastRequest(backendSeen, "/dashboard?tab=1");
        assertThat(seen.header("X-Username")).isEqualTo("alice");
        assertThat(seen.header("X-User-ID")).isEqualTo("2001");
        assertThat(seen.header("X-Groups")).isEqualTo("dev,ops");
        assertThat(seen.header("X-Email")).isEqualTo("alice@example.test");
        assertThat(seen.header("X-User-First-Name")).isEqualTo("Alice");
        assertThat(seen.header("X-User-Last-Name")).isEqualTo("Liddell");

        Seen verify = authSeen.stream().filter(s -> "/dashboard?tab=1".equals(s.header("X-Original-URI")))
                .findFirst().orElseThrow(() -> new AssertionError("auth server not asked: " + authSeen));
        assertThat(verify.uri()).isEqualTo("/verify");
        assertThat(verify.header("X-Forwarded-Host")).isEqualTo("admin.example.test");
        assertThat(verify.bodyBytes()).isZero();
    }

    @Test
    void protectedServiceRedirectsToLoginWithTheOriginalUrl() throws Exception {
        Request request = new Request.Builder().url(url("admin.example.test", "/private/page?q=1")).build();
        try (Response response = client.newCall(request).execute()) {
            assertThat(response.code()).isEqualTo(302);
            assertThat(response.header("Location")).isEqualTo(
                    "https://auth.example.test/login?rd=https://admin.example.test:" + httpsPort + "/private/page?q=1");
        }
        assertThat(backendSeen).noneMatch(s -> s.uri().startsWith("/private"));
    }

    @Test
    void protectedServiceWithoutAuthServerAnswers503() throws Exception {
        Request request = new Request.Builder().url(url("secret.other.test", "/")).header("Cookie", "session=good").build();
        try (Response response = client.newCall(request).execute()) {
            assertThat(response.code()).isEqualTo(503);
            assertThat(response.body().string()).contains("Authentication unavailable");
        }
    }

    @Test
    void unknownHostsGet404() throws Exception {
        for (String host : List.of("nope.example.test", "example.test", "unknown.invalid")) {
            try (Response response = client.newCall(new Request.Builder().url(url(host, "/")).build()).execute()) {
                assertThat(response.code()).as(host).isEqualTo(404);
                assertThat(response.body().string()).as(host).contains("No service is published");
            }
        }
    }

    @Test
    void plainHttpRedirectsToHttps() throws Exception {
        Request request = new Request.Builder().url("http://web.example.test:" + httpPort + "/x?y=2").build();
        try (Response response = client.newCall(request).execute()) {
            assertThat(response.code()).isEqualTo(308);
            assertThat(response.header("Location")).isEqualTo("https://web.example.test:" + httpsPort + "/x?y=2");
        }
    }

    @Test
    void tcpStreamServiceProxiesBytes() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(TestServers.LOOPBACK, tcpPort), 5000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("hello stream\n".getBytes(StandardCharsets.UTF_8));
            String answer = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertThat(answer).isEqualTo("HELLO STREAM");
        }
    }

    @Test
    void udpStreamServiceProxiesDatagrams() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(TestServers.LOOPBACK, 0))) {
            socket.setSoTimeout(2000);
            byte[] query = "dgram".getBytes(StandardCharsets.UTF_8);
            String answer = null;
            // UDP may drop the first datagram while nginx's worker sets up the session: retry a few times.
            for (int attempt = 0; attempt < 5 && answer == null; attempt++) {
                socket.send(new DatagramPacket(query, query.length, new InetSocketAddress(TestServers.LOOPBACK, udpPort)));
                try {
                    DatagramPacket packet = new DatagramPacket(new byte[64], 64);
                    socket.receive(packet);
                    answer = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                } catch (java.net.SocketTimeoutException retry) {
                    // try again
                }
            }
            assertThat(answer).isEqualTo("DGRAM");
        }
    }
}
