package io.proxplane.edge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.proxplane.core.registry.Container;
import io.proxplane.core.registry.ContainerAddresses;
import io.proxplane.core.registry.ContainerSpec;
import io.proxplane.core.registry.ExternalDomain;
import io.proxplane.core.registry.ExternalDomainSpec;
import io.proxplane.core.registry.Registry;
import io.proxplane.core.registry.RegistryConfig;
import io.proxplane.core.registry.Resources;
import io.proxplane.core.registry.Service;
import io.proxplane.core.registry.ServiceSpec;
import io.proxplane.core.registry.Site;
import io.proxplane.core.registry.SiteSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * A throw-away world for one test class: its own database on the real PostgreSQL, a registry with
 * one site (127.77.0.0/16, so container addresses are loopback addresses a local backend can bind),
 * an external domain with a self-signed certificate, directories and free loopback ports for nginx
 * and dnsmasq, and clients (okhttp through nginx, dig against dnsmasq).
 */
final class EdgeTestEnv implements AutoCloseable {
    static final String PG_HOST = System.getProperty("proxplane.test.pg.host", "127.0.0.1");
    static final String PG_PORT = System.getProperty("proxplane.test.pg.port", "5432");
    static final String PG_USER = System.getProperty("proxplane.test.pg.user", "postgres");
    static final String MANAGER = "terraform:edge-test";
    static final String SITE = "edge1";
    static final String SITE_DOMAIN = "edge1.internal";
    static final String DOMAIN = "example.test";
    static final char[] STORE_PASSWORD = "changeit".toCharArray();

    final Path dir;
    final String database;
    final Registry registry;
    final Site site;
    final ExternalDomain domain;
    final Path certificate;
    final Path key;
    final X509Certificate x509;
    final int httpsPort;
    final int dnsPort;
    final int dhcpServerPort;
    final int dhcpClientPort;
    final Path nginxDir;
    final Path runtimeDir;
    final Path dnsmasqDir;
    final OkHttpClient client;
    private final List<HttpServer> backends = new ArrayList<>();

    EdgeTestEnv(Path dir) throws Exception {
        this.dir = dir;
        require("nginx");
        require("dnsmasq");
        require("dig");
        database = "proxplane_edge_test_" + HexFormat.of().formatHex(randomBytes(5));
        admin("create database " + database);
        registry = Registry.open(RegistryConfig.of(jdbcUrl(), PG_USER, null).withMaxPoolSize(4));
        site = registry.sites().upsert(MANAGER, new SiteSpec(SITE, SITE_DOMAIN, "127.77.0.0/16", "127.77.0.1",
                "127.77.200.1", "127.77.200.250", List.of(), List.of("192.0.2.53"), "vmbr0", List.of(), "least-loaded", null));

        Path store = dir.resolve("tls.p12");
        run(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-alias", "edge",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + DOMAIN,
                "-ext", "san=dns:" + DOMAIN + ",dns:*." + DOMAIN + ",dns:*.broken.test", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit"), 60);
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, STORE_PASSWORD);
        }
        x509 = (X509Certificate) keyStore.getCertificate("edge");
        certificate = dir.resolve("example.test.crt");
        key = dir.resolve("example.test.key");
        Files.writeString(certificate, pem("CERTIFICATE", x509.getEncoded()));
        Files.writeString(key, pem("PRIVATE KEY", ((PrivateKey) keyStore.getKey("edge", STORE_PASSWORD)).getEncoded()));

        domain = registry.externalDomains().upsert(MANAGER, new ExternalDomainSpec(DOMAIN, site.id(),
                new ObjectMapper().createObjectNode().put("certificate_file", certificate.toString()).put("key_file", key.toString()),
                null));

        httpsPort = freeTcpPort();
        dnsPort = freeTcpAndUdpPort();
        dhcpServerPort = freeUdpPort();
        dhcpClientPort = freeUdpPort();
        nginxDir = dir.resolve("nginx");
        runtimeDir = dir.resolve("nginx-run");
        dnsmasqDir = dir.resolve("dnsmasq");

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("edge", x509);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        X509TrustManager tm = (X509TrustManager) tmf.getTrustManagers()[0];
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, new javax.net.ssl.TrustManager[] {tm}, null);
        client = new OkHttpClient.Builder()
                .dns(host -> List.of(InetAddress.getByName("127.0.0.1")))
                .sslSocketFactory(ssl.getSocketFactory(), tm)
                .connectTimeout(Duration.ofSeconds(2))
                .callTimeout(Duration.ofSeconds(5))
                .retryOnConnectionFailure(false)
                .build();
    }

    String jdbcUrl() {
        return "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/" + database;
    }

    /** Agent flags for this world; extra flags are appended (a later flag wins). */
    List<String> agentFlags(String agentId, String... extra) {
        List<String> flags = new ArrayList<>(List.of(
                "--registry-url=" + jdbcUrl(), "--registry-user=" + PG_USER, "--site=" + SITE, "--agent-id=" + agentId,
                "--nginx-dir=" + nginxDir, "--nginx-runtime-dir=" + runtimeDir, "--nginx-listen=127.0.0.1",
                "--nginx-https-port=" + httpsPort, "--nginx-http-port=0",
                "--dnsmasq-dir=" + dnsmasqDir, "--dnsmasq-pid-file=" + dir.resolve("dnsmasq-run/dnsmasq.pid"),
                "--dnsmasq-listen=127.0.0.1", "--dnsmasq-port=" + dnsPort,
                "--dnsmasq-lease-file=" + dir.resolve("dnsmasq.leases"),
                "--dnsmasq-dhcp-ports=" + dhcpServerPort + "," + dhcpClientPort,
                "--debounce=100ms", "--max-delay=400ms", "--resync-interval=1h", "--heartbeat-interval=2s",
                "--command-timeout=30s", "--http-listen=off"));
        if (runningAsRoot()) {
            flags.add("--nginx-worker-user=root");
            flags.add("--dnsmasq-user=root");
        }
        flags.addAll(List.of(extra));
        return flags;
    }

    AgentConfig agentConfig(String agentId, String... extra) {
        return AgentConfig.parse(agentFlags(agentId, extra), Map.of());
    }

    /** A container with its vmid, MAC and IPv4 reserved. */
    ContainerAddresses container(String name) {
        Container c = registry.containers().upsert(MANAGER, new ContainerSpec(site.id(), name, name, null,
                "docker.io/library/debian:12", new Resources(1, 512, 0, 4), "alice", null, "running"));
        return registry.allocators().reserveContainerAddresses(MANAGER, site.id(), c.id(), Set.of());
    }

    Service httpService(long containerId, String name, String hostname, int port) {
        return registry.services().upsert(MANAGER, ServiceSpec.http(containerId, name, hostname, domain.id(), "http", false, port));
    }

    /** A plain HTTP backend on {@code ip} answering "backend NAME host=HOST". Returns its port. */
    int backend(String ip, String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(ip), 0), 50);
        server.createContext("/", ex -> {
            byte[] body = ("backend " + name + " host=" + ex.getRequestHeaders().getFirst("Host")).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4, Thread.ofPlatform().daemon(true).factory()));
        server.start();
        backends.add(server);
        return server.getAddress().getPort();
    }

    /** GET https://HOST.example.test/ through nginx; status and body, or -1 and the error. */
    Reply get(String host) {
        // a new connection per request: an idle keep-alive connection may stay with an old nginx
        // worker (and its old configuration) for a while after a reload
        Request request = new Request.Builder().url("https://" + host + "." + DOMAIN + ":" + httpsPort + "/")
                .header("Connection", "close").build();
        try (Response response = client.newCall(request).execute()) {
            return new Reply(response.code(), response.body().string());
        } catch (IOException e) {
            return new Reply(-1, e.toString());
        }
    }

    record Reply(int status, String body) {}

    String dig(String name, String type) {
        Result r = run(List.of("dig", "@127.0.0.1", "-p", Integer.toString(dnsPort), "+short", "+time=1", "+tries=1", name, type), 20);
        return r.exitCode() == 0 ? r.output().trim() : "";
    }

    /** nginx -t on what is live right now. */
    Result nginxTestLive() {
        return run(List.of("nginx", "-p", runtimeDir + "/", "-e", runtimeDir.resolve("error.log").toString(), "-t", "-c",
                nginxDir.resolve("live/nginx.conf").toString()), 60);
    }

    /** Waits are hang guards, never verdicts: no wait gives up sooner than this on a loaded machine. */
    static final Duration MIN_PATIENCE = Duration.ofMinutes(2);

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        timeout = timeout.compareTo(MIN_PATIENCE) < 0 ? MIN_PATIENCE : timeout;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Stops the nginx and dnsmasq the agent started (they outlive the agent by design). */
    void stopEdgeProcesses() {
        for (Path pidFile : List.of(runtimeDir.resolve("nginx.pid"), dir.resolve("dnsmasq-run/dnsmasq.pid"))) {
            try {
                long pid = Long.parseLong(Files.readString(pidFile).strip());
                ProcessHandle.of(pid).ifPresent(h -> {
                    h.destroy();
                    try {
                        h.onExit().get(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        h.destroyForcibly();
                    }
                });
            } catch (IOException | NumberFormatException ignored) {
                // not started
            }
        }
    }

    @Override
    public void close() {
        stopEdgeProcesses();
        backends.forEach(s -> s.stop(0));
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
        registry.close();
        admin("drop database if exists " + database + " with (force)");
    }

    // ------------------------------------------------------------------ helpers

    record Result(int exitCode, String output) {}

    static Result run(List<String> command, int timeoutSeconds) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("could not run " + command + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + command, e);
        }
    }

    static void require(String binary) {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, binary))) {
                return;
            }
        }
        throw new AssertionError("'" + binary + "' is required by the edge-agent tests; install the Debian packages "
                + "nginx libnginx-mod-stream dnsmasq-base bind9-dnsutils");
    }

    static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static void admin(String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/postgres", PG_USER, null);
             Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (Exception e) {
            throw new IllegalStateException("admin statement failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
            return s.getLocalPort();
        }
    }

    static int freeTcpAndUdpPort() throws IOException {
        for (int i = 0; i < 20; i++) {
            int port = freeTcpPort();
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port))) {
                return port;
            } catch (IOException taken) {
                // next
            }
        }
        throw new IOException("no port free for TCP and UDP");
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    Optional<io.proxplane.core.registry.EdgeAgentStatus> status(String agentId) {
        return registry.edgeAgents().get(agentId);
    }
}
