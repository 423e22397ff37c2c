package io.proxplane.chart;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxplane.core.registry.Registry;
import io.proxplane.core.registry.RegistryConfig;
import io.proxplane.core.registry.SiteSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
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
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.proxplane.chart.ChartFixture.render;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rendered pods' environment really starts the components: the LDAP gateway's and
 * edge-agent's shaded jars (what the images run) are started with exactly the environment and
 * files of the rendered Deployment — Secrets and emptyDirs materialised in a temporary directory,
 * mount paths mapped onto it — against a fresh database on the local PostgreSQL, and must answer
 * their probes on the ports the chart points them at. The only change to the rendered
 * environment: listen addresses are narrowed to loopback (tests use loopback only).
 */
class ComponentsStartTest {
    private static final String PG = "jdbc:postgresql://127.0.0.1:5432/";
    private static final String SITE = "chartsite";
    private static final String PASSWORD = "trust-auth-ignores-it";

    @TempDir
    static Path dir;

    private static String database;
    private static X509Certificate certificate;
    private static Map<String, Map<String, String>> secrets;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void world() throws Exception {
        database = "proxplane_chart_test_" + HexFormat.of().formatHex(randomBytes(5));
        admin("create database " + database);
        try (Registry registry = Registry.open(RegistryConfig.of(PG + database, "postgres", null).withMaxPoolSize(2))) {
            registry.sites().upsert("terraform:chart-test", new SiteSpec(SITE, "chartsite.internal", "127.78.0.0/16", "127.78.0.1",
                    "127.78.200.1", "127.78.200.250", List.of(), List.of("192.0.2.53"), "vmbr0", List.of(), "least-loaded", null));
        }
        Path store = dir.resolve("ldap.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "ldap", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=ldap.chart.test",
                "-ext", "san=dns:ldap.chart.test,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).redirectOutput(dir.resolve("keytool.out").toFile()).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0).as("keytool").isTrue();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        certificate = (X509Certificate) ks.getCertificate("ldap");
        PrivateKey key = (PrivateKey) ks.getKey("ldap", "changeit".toCharArray());
        secrets = Map.of(
                "test-registry", Map.of("password", PASSWORD),
                "test-ldap-tls", Map.of("tls.crt", pem("CERTIFICATE", certificate.getEncoded()), "tls.key", pem("PRIVATE KEY", key.getEncoded())));
    }

    @AfterAll
    static void dropDatabase() {
        admin("drop database if exists " + database + " with (force)");
    }

    @Test
    void theLdapGatewayStartsFromTheRenderedPodAndServesTheSecretsCertificateOnItsPorts() throws Exception {
        int ldap = freePort();
        int ldaps = freePort();
        int http = freePort();
        Manifests m = render("minimal", values(Map.of("ldap.ports.ldap", ldap, "ldap.ports.ldaps", ldaps, "ldap.ports.http", http)));
        Pod pod = Pod.of(m.requireDeployment("ldap"), dir.resolve("ldap"));
        assertThat(pod.env).containsEntry("PROXPLANE_LDAP_LISTEN", "0.0.0.0");
        pod.env.put("PROXPLANE_LDAP_LISTEN", "127.0.0.1");
        try (Started gateway = pod.start(jar("ldap-gateway/target/ldap-gateway.jar"))) {
            gateway.awaitHttp(http, "/healthz", 200);
            // ready: the directory snapshot is loaded from the registry the chart pointed it at
            gateway.awaitHttp(http, "/readyz", 200);
            assertThat(get(http, "/metrics").body()).contains("proxplane_ldap_snapshot_staleness_seconds");
            try (Socket plain = new Socket()) {
                plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), ldap), 2000);
            }
            // the Service's 636 targets this port: TLS with the certificate from the Secret
            Certificate[] served = handshake(ldaps);
            assertThat(served[0]).isEqualTo(certificate);
        }
    }

    @Test
    void edgeAgentStartsFromTheRenderedPodAppliesItsSiteAndNginxServesThePortTheReadinessProbeChecks() throws Exception {
        int https = freePort();
        int httpPort = freePort();
        int health = freePort();
        Manifests m = render("minimal", values(Map.of("edge.ports.https", https, "edge.ports.http", httpPort, "edge.ports.health", health)));
        Pod pod = Pod.of(m.requireDeployment("edge"), dir.resolve("edge"));
        assertThat(pod.env).containsEntry("PROXPLANE_EDGE_HTTP_LISTEN", "0.0.0.0:" + health).doesNotContainKey("PROXPLANE_EDGE_NGINX_LISTEN");
        pod.env.put("PROXPLANE_EDGE_HTTP_LISTEN", "127.0.0.1:" + health);
        pod.env.put("PROXPLANE_EDGE_NGINX_LISTEN", "127.0.0.1");
        Path nginxPid = Path.of(pod.env.get("PROXPLANE_EDGE_NGINX_RUNTIME_DIR")).resolve("nginx.pid");
        try (Started agent = pod.start(jar("edge-agent/target/edge-agent.jar"))) {
            agent.awaitHttp(health, "/healthz", 200);
            // first apply done and change feed connected
            agent.awaitHttp(health, "/readyz", 200);
            assertThat(get(health, "/metrics").body()).contains("proxplane_edge_last_apply_success 1");
            // the readiness probe's check: nginx accepts connections on the https container port
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), https), 2000);
            }
            // the agent reports under the pod's name (downward API)
            assertThat(agentIds()).contains(pod.name);
        } finally {
            stopDaemon(nginxPid);
        }
    }

    // ---------------------------------------------------------------------------------------------

    private static Map<String, Object> values(Map<String, Object> ports) {
        Map<String, Object> v = new LinkedHashMap<>(ports);
        v.put("registry.url", PG + database);
        v.put("registry.user", "postgres");
        v.put("registry.existingSecret", "test-registry");
        v.put("ldap.domain", "chart.test");
        v.put("ldap.tls.secretName", "test-ldap-tls");
        v.put("edge.site", SITE);
        return v;
    }

    /** One rendered pod's container, made runnable here. */
    static final class Pod {
        final String name;
        final Map<String, String> env = new LinkedHashMap<>();
        final Path root;

        private Pod(String name, Path root) {
            this.name = name;
            this.root = root;
        }

        static Pod of(JsonNode deployment, Path root) throws IOException {
            JsonNode spec = deployment.path("spec").path("template").path("spec");
            JsonNode container = spec.path("containers").get(0);
            Pod pod = new Pod(deployment.path("metadata").path("name").asText() + "-test", root);
            // volumes: Secrets and projected Secrets as files, emptyDirs as directories
            Map<String, Path> volumeDirs = new LinkedHashMap<>();
            for (JsonNode volume : spec.path("volumes")) {
                Path vdir = Files.createDirectories(root.resolve("volumes").resolve(volume.path("name").asText()));
                volumeDirs.put(volume.path("name").asText(), vdir);
                if (volume.has("secret")) {
                    writeItems(vdir, volume.path("secret").path("secretName").asText(), volume.path("secret").path("items"));
                }
                for (JsonNode source : volume.path("projected").path("sources")) {
                    writeItems(vdir, source.path("secret").path("name").asText(), source.path("secret").path("items"));
                }
            }
            List<String[]> mounts = new ArrayList<>();
            for (JsonNode mount : container.path("volumeMounts")) {
                Path target = volumeDirs.get(mount.path("name").asText());
                assertThat(target).as("mount %s has a volume", mount).isNotNull();
                mounts.add(new String[] {mount.path("mountPath").asText(), target.toString()});
            }
            mounts.sort(Comparator.comparing((String[] a) -> a[0].length()).reversed());
            for (JsonNode e : container.path("env")) {
                String value;
                JsonNode from = e.path("valueFrom");
                if (from.has("secretKeyRef")) {
                    value = secrets.getOrDefault(from.path("secretKeyRef").path("name").asText(), Map.of())
                            .get(from.path("secretKeyRef").path("key").asText());
                    assertThat(value != null || from.path("secretKeyRef").path("optional").asBoolean())
                            .as("secret for %s", e.path("name").asText()).isTrue();
                } else if (from.has("fieldRef")) {
                    value = switch (from.path("fieldRef").path("fieldPath").asText()) {
                        case "metadata.name" -> pod.name;
                        case "metadata.namespace" -> ChartFixture.NAMESPACE;
                        case "status.hostIP", "status.podIP" -> "127.0.0.1";
                        default -> throw new AssertionError("unexpected fieldRef " + from);
                    };
                } else {
                    value = e.path("value").asText();
                }
                if (value == null) {
                    continue;
                }
                pod.env.put(e.path("name").asText(), remap(value, mounts));
            }
            return pod;
        }

        /** Mount paths at the start of a path (after start, space, '=' or ':') become their local directories, in one pass. */
        private static String remap(String value, List<String[]> mounts) {
            StringBuilder alternatives = new StringBuilder();
            for (String[] mount : mounts) {
                alternatives.append(alternatives.isEmpty() ? "" : "|").append(Pattern.quote(mount[0]));
            }
            Matcher m = Pattern.compile("(?<=^|[\\s=:])(" + alternatives + ")(?=/|$|\\s)").matcher(value);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String local = mounts.stream().filter(x -> x[0].equals(m.group(1))).findFirst().orElseThrow()[1];
                m.appendReplacement(out, Matcher.quoteReplacement(local));
            }
            m.appendTail(out);
            return out.toString();
        }

        private static void writeItems(Path dir, String secret, JsonNode items) throws IOException {
            for (JsonNode item : items) {
                String content = secrets.getOrDefault(secret, Map.of()).get(item.path("key").asText());
                assertThat(content).as("test content for Secret %s key %s", secret, item.path("key").asText()).isNotNull();
                Path file = dir.resolve(item.path("path").asText());
                Files.createDirectories(file.getParent());
                Files.writeString(file, content);
            }
        }

        Started start(Path jar) throws IOException {
            Path log = root.resolve("process.log");
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().clear();
            pb.environment().put("PATH", System.getenv("PATH"));
            pb.environment().putAll(env);
            return new Started(pb.start(), log);
        }
    }

    record Started(Process process, Path log) implements AutoCloseable {
        void awaitHttp(int port, String path, int status) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String last = "no answer";
            while (System.nanoTime() < deadline) {
                assertThat(process.isAlive()).as("process exited: %s", tail()).isTrue();
                try {
                    HttpResponse<String> r = get(port, path);
                    if (r.statusCode() == status) {
                        return;
                    }
                    last = r.statusCode() + " " + r.body();
                } catch (IOException e) {
                    last = e.toString();
                }
                Thread.sleep(200);
            }
            throw new AssertionError(path + " on " + port + " did not answer " + status + " (last: " + last + "); log: " + tail());
        }

        String tail() {
            try {
                String text = Files.readString(log);
                return text.length() <= 3000 ? text : text.substring(0, 1500) + "\n...\n" + text.substring(text.length() - 1500);
            } catch (IOException e) {
                return e.toString();
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Certificate[] handshake(int port) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ldap", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            socket.setSoTimeout(5000);
            socket.startHandshake();
            return socket.getSession().getPeerCertificates();
        }
    }

    private static List<String> agentIds() throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(PG + database, "postgres", null);
             var rs = c.createStatement().executeQuery("select agent_id from edge_agent_status")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** nginx daemonises away from the agent; stop the one this test caused. */
    private static void stopDaemon(Path pidFile) throws Exception {
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        var handle = ProcessHandle.of(pid);
        if (handle.isPresent() && handle.get().info().command().map(c -> c.endsWith("nginx")).orElse(false)) {
            handle.get().destroy();
            handle.get().onExit().get(10, TimeUnit.SECONDS);
        }
    }

    private static Path jar(String relative) {
        Path jar = ChartFixture.projectRoot().resolve(relative);
        assertThat(Files.isRegularFile(jar)).as("%s is built (run the reactor with -am: the test starts the jars the images ship)", relative)
                .isTrue();
        return jar;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    private static void admin(String sql) {
        try (Connection c = DriverManager.getConnection(PG + "postgres", "postgres", null); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (Exception e) {
            throw new IllegalStateException("admin statement failed: " + sql + ": " + e.getMessage(), e);
        }
    }
}
