package io.proxplane.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.proxplane.terraform.plugin.Handshake;
import io.proxplane.terraform.plugin.SelfSignedCertificate;
import io.proxplane.terraform.plugin.TrainingRun;
import io.proxplane.terraform.proto.goplugin.GRPCControllerGrpc;
import io.proxplane.terraform.proto.goplugin.GrpcControllerProto;
import io.proxplane.terraform.proto.v5.Tfplugin5;
import io.proxplane.terraform.proto.v6.Tfplugin6;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The packaged launcher, started the way go-plugin starts it: one handshake line and nothing
 * else on stdout, AutoMTLS with a P-521 client certificate like Go's, version negotiation, and a
 * prompt exit on GRPCController.Shutdown.
 */
class PackagedProviderIT {

    static Path launcher() {
        String version = System.getProperty("proxplane.provider.version", "0.1.0");
        Path p = Path.of(System.getProperty("proxplane.provider.mirror", "target/mirror"),
                "registry.opentofu.org/proxplane/proxplane", version, "linux_amd64", "terraform-provider-proxplane_v" + version);
        assertThat(p).isExecutable();
        return p;
    }

    @ParameterizedTest(name = "client offers {0}, provider offers [{1}] -> {2}")
    @CsvSource({"'5,6', '', 6", "'6,5', '', 6", "'5,6', 5, 5", "'5', '', 5", "'5,6', 6, 6"})
    void handshakeOverMutualTlsThenShutdown(String clientVersions, String offered, int expected) throws Exception {
        SelfSignedCertificate client = TestCertificates.goPluginClient();
        ProcessBuilder pb = new ProcessBuilder(launcher().toString());
        pb.environment().put(Handshake.MAGIC_COOKIE_KEY, Handshake.MAGIC_COOKIE_VALUE);
        pb.environment().put("PLUGIN_PROTOCOL_VERSIONS", clientVersions);
        pb.environment().put("PLUGIN_CLIENT_CERT", client.pem());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        if (offered.isEmpty()) {
            pb.environment().remove(Handshake.PROTOCOLS_ENV);
        } else {
            pb.environment().put(Handshake.PROTOCOLS_ENV, offered);
        }
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        try {
            BufferedReader stdout = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = stdout.readLine();
            assertThat(line).matches("1\\|" + expected + "\\|tcp\\|127\\.0\\.0\\.1:\\d+\\|grpc\\|[A-Za-z0-9+/]{100,}");
            String[] f = line.split("\\|");
            assertThat(f[5]).doesNotContain("=");
            X509Certificate server = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(f[5])));
            assertThat(server.getBasicConstraints()).isGreaterThanOrEqualTo(0);
            assertThat(server.getSubjectAlternativeNames()).anySatisfy(san -> assertThat(san.get(1)).isEqualTo("localhost"));
            String[] hostPort = f[3].split(":");
            ManagedChannel channel = TrainingRun.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), client, server);
            try {
                if (expected == 6) {
                    var schema = io.proxplane.terraform.proto.v6.ProviderGrpc.newBlockingStub(channel)
                            .getProviderSchema(Tfplugin6.GetProviderSchema.Request.getDefaultInstance());
                    assertThat(schema.getDataSourceSchemasMap()).containsKeys("proxplane_nodes", "proxplane_templates");
                    assertThat(schema.getProvider().getBlock().getAttributesList())
                            .anySatisfy(a -> assertThat(a.getName()).isEqualTo("api_token"));
                } else {
                    var schema = io.proxplane.terraform.proto.v5.ProviderGrpc.newBlockingStub(channel)
                            .getSchema(Tfplugin5.GetProviderSchema.Request.getDefaultInstance());
                    assertThat(schema.getDataSourceSchemasMap()).containsKeys("proxplane_nodes", "proxplane_templates");
                }
                GRPCControllerGrpc.newBlockingStub(channel).shutdown(GrpcControllerProto.Empty.getDefaultInstance());
            } finally {
                channel.shutdownNow();
            }
            // go-plugin SIGKILLs after 2 s; we must be gone well before.
            assertThat(p.waitFor(2, TimeUnit.SECONDS)).as("exited after Shutdown").isTrue();
            assertThat(p.exitValue()).isZero();
            assertThat(stdout.readLine()).as("nothing on stdout after the handshake").isNull();
        } finally {
            p.destroyForcibly();
        }
    }

    /** The launcher as go-plugin starts it, plaintext; stdout is returned as it comes. */
    private static Process startPlain(Map<String, String> extraEnv) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(launcher().toString());
        pb.environment().put(Handshake.MAGIC_COOKIE_KEY, Handshake.MAGIC_COOKIE_VALUE);
        pb.environment().put("PLUGIN_PROTOCOL_VERSIONS", "5,6");
        pb.environment().remove("PLUGIN_CLIENT_CERT");
        pb.environment().remove(Handshake.PROTOCOLS_ENV);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().putAll(extraEnv);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        return pb.start();
    }

    @Test
    void aStartFailureIsOneLineOnStdoutWhichTheCliQuotes() throws Exception {
        for (Map<String, String> bad : List.of(Map.of(Handshake.PROTOCOLS_ENV, "7"), Map.of("PLUGIN_MIN_PORT", "lots"),
                Map.of("PLUGIN_MIN_PORT", "20000", "PLUGIN_MAX_PORT", "10000"))) {
            Process p = startPlain(bad);
            try {
                assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("exits").isTrue();
                assertThat(p.exitValue()).isEqualTo(1);
                List<String> out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
                assertThat(out).as(bad.toString()).singleElement().satisfies(l -> {
                    assertThat(l).startsWith("proxplane provider cannot start: ").doesNotContain("|");
                    assertThat(l).containsAnyOf(Handshake.PROTOCOLS_ENV, "PLUGIN_MIN_PORT");
                });
            } finally {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void listensInsideGoPluginsPortRange() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            // only a taken port in the range: refused, naming the range
            Process none = startPlain(Map.of("PLUGIN_MIN_PORT", String.valueOf(port), "PLUGIN_MAX_PORT", String.valueOf(port)));
            try {
                assertThat(none.waitFor(2, TimeUnit.MINUTES)).isTrue();
                assertThat(new String(none.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                        .contains("cannot start", "no free port", String.valueOf(port));
            } finally {
                none.destroyForcibly();
            }
        }
        int free;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            free = probe.getLocalPort();
        }
        Process p = startPlain(Map.of("PLUGIN_MIN_PORT", String.valueOf(free), "PLUGIN_MAX_PORT", String.valueOf(free)));
        try {
            String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertThat(line).startsWith("1|6|tcp|127.0.0.1:" + free + "|grpc|");
        } finally {
            p.destroyForcibly();
            p.waitFor(2, TimeUnit.MINUTES);
        }
    }

    @Test
    void refusesToRunWithoutTheMagicCookieAndSaysSoOnStderr() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(launcher().toString());
        pb.environment().remove(Handshake.MAGIC_COOKIE_KEY);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEmpty();
        assertThat(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).contains("started by terraform or tofu");
    }

    @Test
    void packageHoldsOnlyTheLauncherAtTopLevel() throws Exception {
        Path dir = launcher().getParent();
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder(launcher().getFileName().toString(), "lib");
        }
        assertThat(dir.resolve("lib/proxplane-terraform-provider.jar")).isRegularFile();
        assertThat(dir.resolve("lib/archive.jdk")).isRegularFile();
    }
}
