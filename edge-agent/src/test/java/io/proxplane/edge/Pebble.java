package io.proxplane.edge;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code pebble} (a real RFC 8555 server) on loopback for one test class, with
 * {@code pebble-challtestsrv} as its DNS (every name resolves to 127.0.0.1), so HTTP-01 requests
 * reach the nginx under test on {@code httpPort}. The package ships no TLS material: a throw-away
 * CA and a localhost certificate are made with openssl. Both processes are killed in {@link #close}.
 */
final class Pebble implements AutoCloseable {
    final int acmePort;
    final int managementPort;
    final Path caFile;
    private final Process dns;
    private final Process pebble;

    Pebble(Path dir, int httpPort) throws Exception {
        EdgeTestEnv.require("pebble");
        EdgeTestEnv.require("pebble-challtestsrv");
        Files.createDirectories(dir);
        caFile = dir.resolve("ca.pem");
        Path caKey = dir.resolve("ca.key");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        openssl(List.of("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", caKey.toString(),
                "-out", caFile.toString(), "-days", "7", "-subj", "/CN=test-only pebble TLS CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"));
        Path csr = dir.resolve("srv.csr");
        openssl(List.of("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(),
                "-out", csr.toString(), "-subj", "/CN=localhost"));
        Path ext = dir.resolve("srv.ext");
        Files.writeString(ext, "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        openssl(List.of("x509", "-req", "-in", csr.toString(), "-CA", caFile.toString(), "-CAkey", caKey.toString(),
                "-CAcreateserial", "-days", "7", "-extfile", ext.toString(), "-out", cert.toString()));

        acmePort = EdgeTestEnv.freeTcpPort();
        managementPort = EdgeTestEnv.freeTcpPort();
        int tlsPort = EdgeTestEnv.freeTcpPort();
        int dnsPort = EdgeTestEnv.freeTcpAndUdpPort();
        int dnsManagement = EdgeTestEnv.freeTcpPort();
        Path config = dir.resolve("pebble.json");
        Files.writeString(config, """
                { "pebble": { "listenAddress": "127.0.0.1:%d", "managementListenAddress": "127.0.0.1:%d",
                  "certificate": "%s", "privateKey": "%s", "httpPort": %d, "tlsPort": %d,
                  "ocspResponderURL": "", "externalAccountBindingRequired": false } }
                """.formatted(acmePort, managementPort, cert, key, httpPort, tlsPort));
        dns = new ProcessBuilder("pebble-challtestsrv", "-dns01", "127.0.0.1:" + dnsPort, "-http01", "", "-https01", "",
                "-tlsalpn01", "", "-management", "127.0.0.1:" + dnsManagement, "-defaultIPv4", "127.0.0.1", "-defaultIPv6", "")
                .redirectErrorStream(true).redirectOutput(dir.resolve("challtestsrv.log").toFile()).start();
        ProcessBuilder pb = new ProcessBuilder("pebble", "-config", config.toString(), "-strict=false",
                "-dnsserver", "127.0.0.1:" + dnsPort)
                .redirectErrorStream(true).redirectOutput(dir.resolve("pebble.log").toFile());
        // deterministic: no random sleeps before validation, no rejected nonces, no reused authorizations
        pb.environment().putAll(Map.of("PEBBLE_VA_NOSLEEP", "1", "PEBBLE_WFE_NONCEREJECT", "0", "PEBBLE_AUTHZREUSE", "0"));
        pebble = pb.start();
        HttpClient client = client();
        EdgeTestEnv.await("pebble to answer", Duration.ofMinutes(2), () -> {
            try {
                return client.send(HttpRequest.newBuilder(URI.create(directoryUrl())).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    String directoryUrl() {
        return "https://127.0.0.1:" + acmePort + "/dir";
    }

    /** PEM of the root that signs issued certificates (new at every pebble start). */
    String root() throws Exception {
        return client().send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + managementPort + "/roots/0")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private HttpClient client() {
        return HttpClient.newBuilder().sslContext(AcmeManager.sslContext(caFile)).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static void openssl(List<String> args) {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(args);
        EdgeTestEnv.Result r = EdgeTestEnv.run(command, 60);
        if (r.exitCode() != 0) {
            throw new AssertionError("openssl failed: " + r.output());
        }
    }

    @Override
    public void close() {
        for (Process p : List.of(pebble, dns)) {
            p.destroy();
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
