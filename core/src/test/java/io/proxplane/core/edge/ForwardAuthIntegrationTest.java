package io.proxplane.core.edge;

import static io.proxplane.core.edge.EdgeFixtures.externalDomain;
import static io.proxplane.core.edge.EdgeFixtures.http;
import static io.proxplane.core.edge.EdgeFixtures.ip;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.proxplane.core.edge.NginxSettings.TlsFiles;
import io.proxplane.core.edge.TestServers.Seen;
import io.proxplane.core.model.BackendProtocol;
import io.proxplane.core.model.ConfigPath;
import io.proxplane.core.model.Port;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forward auth against the real nginx with stand-in auth servers that follow the documented
 * contracts of oauth2-proxy ({@code /oauth2/auth} 202/401/403, {@code /oauth2/start?rd=}),
 * Authelia's AuthRequest ({@code /api/authz/auth-request}: needs {@code X-Original-URL} and
 * {@code -Method}, a 401 names the portal in {@code Location}) and authentik's outpost
 * ({@code /outpost.goauthentik.io/auth/nginx}, {@code /start?rd=}); caching of allow and deny
 * answers; the edge's 502 and 504 pages.
 */
class ForwardAuthIntegrationTest {

    @TempDir
    static Path dir;
    static TestServers servers;
    static Process nginx;
    static Path nginxBinary;
    static Path configDir;
    static OkHttpClient client;
    static int httpsPort;
    static HttpServer fakes;
    static final ConcurrentLinkedQueue<Seen> backendSeen = new ConcurrentLinkedQueue<>();
    static final ConcurrentLinkedQueue<Seen> authSeen = new ConcurrentLinkedQueue<>();
    static final AtomicInteger oauth2Checks = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        nginxBinary = EdgeBinaries.require("nginx");
        List<ConfigPath> modules = EdgeBinaries.requiredModules(nginxBinary).stream()
                .map(p -> ConfigPath.of("module", p.toString())).toList();
        TestTls tls = TestTls.create(dir, List.of("o2.test", "*.o2.test", "authelia.test", "*.authelia.test", "authentik.test",
                "*.authentik.test", "err.test", "*.err.test"));
        servers = new TestServers();
        int backend = servers.httpBackend("app", null, backendSeen);
        int fakePort = startFakes();
        int slow = slowBackend();
        int ownError = ownErrorBackend();
        int closed = TestServers.freeTcpPort(); // nothing listens: connection refused
        httpsPort = TestServers.freeTcpPort();

        ConfigPath cert = ConfigPath.of("cert", tls.certificatePem.toString());
        ConfigPath key = ConfigPath.of("key", tls.keyPem.toString());
        String base = "http://127.0.0.1:" + fakePort;
        EdgeSnapshot snapshot = new EdgeSnapshot(7, EdgeFixtures.site(),
                List.of(externalDomain("o2.test", cert, key, Optional.of(ForwardAuth.of("t", "t.url", base,
                                new ForwardAuth.Settings("oauth2-proxy", null, null, null, null, null, null)))),
                        externalDomain("authelia.test", cert, key, Optional.of(ForwardAuth.of("t", "t.url", base,
                                new ForwardAuth.Settings("authelia", null, null, null, null, 0, 0)))),
                        externalDomain("authentik.test", cert, key, Optional.of(ForwardAuth.of("t", "t.url", base,
                                new ForwardAuth.Settings("authentik", null, null, null, null, 0, 0)))),
                        externalDomain("err.test", cert, key, Optional.empty())),
                List.of(),
                List.of(http("app1", "o2.test", "127.0.0.1", backend, BackendProtocol.HTTP, true, true),
                        http("app2", "o2.test", "127.0.0.1", backend, BackendProtocol.HTTP, true, true),
                        http("open", "o2.test", "127.0.0.1", backend, BackendProtocol.HTTP, false, true),
                        http("app", "authelia.test", "127.0.0.1", backend, BackendProtocol.HTTP, true, true),
                        http("app", "authentik.test", "127.0.0.1", backend, BackendProtocol.HTTP, true, true),
                        http("down", "err.test", "127.0.0.1", closed, BackendProtocol.HTTP, false, true),
                        http("slow", "err.test", "127.0.0.1", slow, BackendProtocol.HTTP, false, true),
                        http("own", "err.test", "127.0.0.1", ownError, BackendProtocol.HTTP, false, true)),
                List.of(), List.of());

        configDir = Files.createDirectories(dir.resolve("conf"));
        Path runtimeDir = Files.createDirectories(dir.resolve("run"));
        NginxSettings settings = NginxSettings.defaults()
                .withListen(ip("127.0.0.1"), new Port(httpsPort), Optional.empty())
                .withDirectories(ConfigPath.of("conf", configDir.toString()), ConfigPath.of("run", runtimeDir.toString()))
                .withModules(modules)
                .withDefaultCertificate(Optional.of(new TlsFiles(cert, key)))
                .withWorkerUser(EdgeBinaries.runningAsRoot() ? Optional.of("root") : Optional.empty());
        settings = new NginxSettings(settings.listenAddress(), settings.httpsPort(), settings.httpRedirectPort(),
                settings.publicHttpsPort(), settings.clientMaxBodySize(), Duration.ofSeconds(1), settings.configDirectory(),
                settings.runtimeDirectory(), settings.modules(), settings.defaultCertificate(), settings.workerUser(),
                settings.identityHeaders(), settings.layout());
        for (Map.Entry<String, String> file : NginxRenderer.render(snapshot, settings).files().entrySet()) {
            Files.writeString(configDir.resolve(file.getKey()), file.getValue());
        }
        EdgeBinaries.Result test = EdgeBinaries.run(command("-t"), 30);
        assertThat(test.exitCode()).as("nginx -t output:\n%s", test.output()).isZero();
        nginx = new ProcessBuilder(command("-g", "daemon off;")).redirectErrorStream(true)
                .redirectOutput(dir.resolve("nginx-console.log").toFile()).start();
        waitForPort(httpsPort);
        client = new OkHttpClient.Builder()
                .dns(hostname -> List.of(InetAddress.getLoopbackAddress()))
                .sslSocketFactory(tls.clientContext().getSocketFactory(), tls.trustManager())
                .followRedirects(false).followSslRedirects(false)
                .callTimeout(Duration.ofSeconds(30))
                .build();
    }

    static List<String> command(String... extra) {
        List<String> command = new java.util.ArrayList<>(List.of(nginxBinary.toString(), "-p", dir.toString(),
                "-e", dir.resolve("startup-error.log").toString(), "-c", configDir.resolve("nginx.conf").toString()));
        command.addAll(List.of(extra));
        return command;
    }

    static void waitForPort(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            if (!nginx.isAlive()) {
                throw new AssertionError("nginx exited: " + Files.readString(dir.resolve("nginx-console.log")));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(TestServers.LOOPBACK, port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("nginx did not listen on " + port);
    }

    @AfterAll
    static void stop() throws Exception {
        if (nginx != null) {
            nginx.destroy();
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                nginx.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (fakes != null) {
            fakes.stop(0);
        }
        if (servers != null) {
            servers.close();
        }
        if (client != null) {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    // ------------------------------------------------------------------ stand-in auth servers

    /** One server with the three contracts on their documented paths. */
    static int startFakes() throws IOException {
        fakes = HttpServer.create(new InetSocketAddress(TestServers.LOOPBACK, 0), 0);
        fakes.createContext("/oauth2/auth", ex -> {
            Seen seen = seen(ex);
            oauth2Checks.incrementAndGet();
            String cookie = seen.header("Cookie");
            if (cookie != null && cookie.contains("_oauth2_proxy=alice")) {
                // oauth2-proxy answers 202, never 200
                respond(ex, 202, Map.of("X-Auth-Request-User", "alice", "X-Auth-Request-Groups", "dev,ops",
                        "X-Auth-Request-Email", "alice@example.test", "X-Auth-Request-Preferred-Username", "alice"));
            } else if (cookie != null && cookie.contains("_oauth2_proxy=bob")) {
                respond(ex, 403, Map.of()); // authenticated, not in allowed groups
            } else {
                respond(ex, 401, Map.of());
            }
        });
        fakes.createContext("/oauth2/start", ex -> {
            String rd = query(ex, "rd");
            respond(ex, 302, Map.of("Location", "https://idp.example.test/authorize?state="
                    + URLEncoder.encode(rd == null ? "" : rd, StandardCharsets.UTF_8)));
        });
        fakes.createContext("/api/authz/auth-request", ex -> {
            Seen seen = seen(ex);
            String original = seen.header("X-Original-URL");
            if (original == null || seen.header("X-Original-Method") == null) {
                respond(ex, 400, Map.of()); // AuthRequest needs both
                return;
            }
            String cookie = seen.header("Cookie");
            if (cookie != null && cookie.contains("authelia_session=good")) {
                respond(ex, 200, Map.of("Remote-User", "alice", "Remote-Groups", "dev,ops", "Remote-Name", "Alice",
                        "Remote-Email", "alice@example.test"));
            } else {
                respond(ex, 401, Map.of("Location", "https://auth.example.test/?rd=" + URLEncoder.encode(original,
                        StandardCharsets.UTF_8)));
            }
        });
        fakes.createContext("/outpost.goauthentik.io/auth/nginx", ex -> {
            Seen seen = seen(ex);
            String cookie = seen.header("Cookie");
            if (cookie != null && cookie.contains("authentik_proxy_x=good")) {
                respond(ex, 200, Map.of("X-authentik-username", "alice", "X-authentik-groups", "dev|ops",
                        "X-authentik-email", "alice@example.test", "X-authentik-name", "Alice", "X-authentik-uid", "42",
                        "X-authentik-entitlements", ""));
            } else {
                respond(ex, 401, Map.of());
            }
        });
        fakes.createContext("/outpost.goauthentik.io/start", ex -> {
            String rd = query(ex, "rd");
            respond(ex, 302, Map.of("Location", "https://authentik.example.test/flows/login?next="
                    + URLEncoder.encode(rd == null ? "" : rd, StandardCharsets.UTF_8)));
        });
        fakes.setExecutor(Executors.newFixedThreadPool(4, Thread.ofPlatform().daemon(true).factory()));
        fakes.start();
        return fakes.getAddress().getPort();
    }

    static Seen seen(HttpExchange ex) throws IOException {
        ex.getRequestBody().close();
        Map<String, String> headers = new TreeMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
        Seen seen = new Seen(ex.getRequestMethod(), ex.getRequestURI().toString(), headers, 0);
        authSeen.add(seen);
        return seen;
    }

    static String query(HttpExchange ex, String name) {
        String q = ex.getRequestURI().getRawQuery();
        if (q == null) {
            return null;
        }
        for (String part : q.split("&")) {
            if (part.startsWith(name + "=")) {
                return URLDecoder.decode(part.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    static void respond(HttpExchange ex, int status, Map<String, String> headers) throws IOException {
        headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        ex.sendResponseHeaders(status, -1);
        ex.close();
    }

    /** Answers after 3 s: beyond the 1 s proxy timeout of this configuration. */
    static int slowBackend() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(TestServers.LOOPBACK, 0), 0);
        server.createContext("/", ex -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(ex, 200, Map.of());
        });
        server.setExecutor(Executors.newFixedThreadPool(2, Thread.ofPlatform().daemon(true).factory()));
        server.start();
        return server.getAddress().getPort();
    }

    /** A backend that answers 502 with its own page (which must pass through). */
    static int ownErrorBackend() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(TestServers.LOOPBACK, 0), 0);
        server.createContext("/", ex -> {
            byte[] body = "the app's own 502".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(502, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(2, Thread.ofPlatform().daemon(true).factory()));
        server.start();
        return server.getAddress().getPort();
    }

    static String url(String host, String path) {
        return "https://" + host + ":" + httpsPort + path;
    }

    static Response get(String host, String path, String cookie, Map<String, String> headers) throws IOException {
        Request.Builder b = new Request.Builder().url(url(host, path)).header("Connection", "close");
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        headers.forEach(b::header);
        return client.newCall(b.build()).execute();
    }

    static Seen backendRequest(String uri) {
        return backendSeen.stream().filter(s -> s.uri().equals(uri)).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("the backend never saw " + uri));
    }

    // ------------------------------------------------------------------ tests

    @Test
    void oauth2ProxyLayoutSignsInWithTheOriginalUrlAndPassesIdentity() throws Exception {
        try (Response r = get("app1.o2.test", "/page?q=1", null, Map.of())) {
            assertThat(r.code()).isEqualTo(302);
            assertThat(r.header("Location")).isEqualTo("https://app1.o2.test:" + httpsPort + "/oauth2/start?rd=https://app1.o2.test:"
                    + httpsPort + "/page?q=1");
        }
        // the sign-in start is oauth2-proxy's own page, reached through the service's host without auth
        try (Response r = get("app1.o2.test", "/oauth2/start?rd=https://app1.o2.test/page", null, Map.of())) {
            assertThat(r.code()).isEqualTo(302);
            assertThat(r.header("Location")).startsWith("https://idp.example.test/authorize?state=https%3A%2F%2Fapp1.o2.test%2Fpage");
        }
        try (Response r = get("app1.o2.test", "/dashboard", "_oauth2_proxy=alice", Map.of("X-Auth-Request-User", "mallory"))) {
            assertThat(r.code()).isEqualTo(200);
        }
        Seen seen = backendRequest("/dashboard");
        assertThat(seen.header("X-Auth-Request-User")).isEqualTo("alice");
        assertThat(seen.header("X-Auth-Request-Groups")).isEqualTo("dev,ops");
        assertThat(seen.header("X-Auth-Request-Email")).isEqualTo("alice@example.test");
        try (Response r = get("app1.o2.test", "/dashboard", "_oauth2_proxy=bob", Map.of())) {
            assertThat(r.code()).as("authenticated but not allowed").isEqualTo(403);
        }
        // an open service on the same domain never passes a client's identity headers
        try (Response r = get("open.o2.test", "/open", null, Map.of("X-Auth-Request-User", "mallory", "Remote-User", "mallory"))) {
            assertThat(r.code()).isEqualTo(200);
        }
        assertThat(backendRequest("/open").header("X-Auth-Request-User")).isNull();
        assertThat(backendRequest("/open").header("Remote-User")).isNull();
    }

    @Test
    void allowAndDenyAnswersAreCached() throws Exception {
        int before = oauth2Checks.get();
        for (int i = 0; i < 3; i++) {
            try (Response r = get("app2.o2.test", "/cached", "_oauth2_proxy=alice", Map.of())) {
                assertThat(r.code()).isEqualTo(200);
            }
        }
        assertThat(oauth2Checks.get() - before).as("one check for three allowed requests").isEqualTo(1);
        before = oauth2Checks.get();
        for (int i = 0; i < 3; i++) {
            try (Response r = get("app2.o2.test", "/cached", "_oauth2_proxy=nobody", Map.of())) {
                assertThat(r.code()).isEqualTo(302);
            }
        }
        assertThat(oauth2Checks.get() - before).as("one check for three denied requests").isEqualTo(1);
        // another user's cookie is another key: never answered from alice's entry
        try (Response r = get("app2.o2.test", "/cached", "_oauth2_proxy=bob", Map.of())) {
            assertThat(r.code()).isEqualTo(403);
        }
        // credentials in a header are never cached
        before = oauth2Checks.get();
        for (int i = 0; i < 2; i++) {
            try (Response r = get("app2.o2.test", "/cached", "_oauth2_proxy=alice", Map.of("Authorization", "Bearer x"))) {
                assertThat(r.code()).isEqualTo(200);
            }
        }
        assertThat(oauth2Checks.get() - before).isEqualTo(2);
    }

    @Test
    void autheliaLayoutRedirectsToThePortalItNamesAndPassesIdentity() throws Exception {
        try (Response r = get("app.authelia.test", "/private?x=1", null, Map.of())) {
            assertThat(r.code()).isEqualTo(302);
            assertThat(r.header("Location")).isEqualTo("https://auth.example.test/?rd=" + URLEncoder.encode(
                    "https://app.authelia.test:" + httpsPort + "/private?x=1", StandardCharsets.UTF_8));
        }
        Seen check = authSeen.stream().filter(s -> s.uri().startsWith("/api/authz/auth-request")).reduce((a, b) -> b).orElseThrow();
        assertThat(check.header("X-Original-Method")).isEqualTo("GET");
        assertThat(check.header("X-Original-URL")).isEqualTo("https://app.authelia.test:" + httpsPort + "/private?x=1");
        try (Response r = get("app.authelia.test", "/inside", "authelia_session=good", Map.of("Remote-User", "mallory"))) {
            assertThat(r.code()).isEqualTo(200);
        }
        assertThat(backendRequest("/inside").header("Remote-User")).isEqualTo("alice");
        assertThat(backendRequest("/inside").header("Remote-Groups")).isEqualTo("dev,ops");
    }

    @Test
    void authentikLayoutSignsInThroughTheOutpostAndPassesIdentity() throws Exception {
        try (Response r = get("app.authentik.test", "/p", null, Map.of())) {
            assertThat(r.code()).isEqualTo(302);
            assertThat(r.header("Location")).isEqualTo("https://app.authentik.test:" + httpsPort
                    + "/outpost.goauthentik.io/start?rd=https://app.authentik.test:" + httpsPort + "/p");
        }
        try (Response r = get("app.authentik.test", "/outpost.goauthentik.io/start?rd=/p", null, Map.of())) {
            assertThat(r.code()).isEqualTo(302);
            assertThat(r.header("Location")).startsWith("https://authentik.example.test/flows/login");
        }
        try (Response r = get("app.authentik.test", "/in", "authentik_proxy_x=good", Map.of())) {
            assertThat(r.code()).isEqualTo(200);
        }
        assertThat(backendRequest("/in").header("X-authentik-username")).isEqualTo("alice");
        assertThat(backendRequest("/in").header("X-authentik-groups")).isEqualTo("dev|ops");
    }

    @Test
    void aBackendThatIsDownOrTooSlowGetsTheEdgesPageWithItsStatus() throws Exception {
        try (Response r = get("down.err.test", "/", null, Map.of())) {
            assertThat(r.code()).isEqualTo(502);
            assertThat(r.body().string()).contains("Service not reachable");
        }
        try (Response r = get("slow.err.test", "/", null, Map.of())) {
            assertThat(r.code()).isEqualTo(504);
            assertThat(r.body().string()).contains("Service too slow");
        }
        try (Response r = get("own.err.test", "/", null, Map.of())) {
            assertThat(r.code()).isEqualTo(502);
            assertThat(r.body().string()).as("a backend's own error page passes through").isEqualTo("the app's own 502");
        }
        try (Response r = get("nothing.err.test", "/", null, Map.of())) {
            assertThat(r.code()).isEqualTo(404);
            assertThat(r.body().string()).contains("No service is published");
        }
    }
}
