package io.proxplane.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxplane.core.registry.ContainerAddresses;
import io.proxplane.core.registry.EdgeCertificateRepository.EdgeCertificate;
import io.proxplane.core.registry.ExternalDomain;
import io.proxplane.core.registry.ExternalDomainSpec;
import io.proxplane.core.registry.ServiceSpec;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * ACME end to end: Debian's pebble issues a certificate for a new domain over HTTP-01 answered by
 * the real nginx the agent runs; nginx serves it; moving the agent's clock past two thirds of the
 * lifetime renews it, and nginx serves the new one without a restart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AcmeIntegrationTest {
    static final String AGENT = "acme-agent";
    static final String ACME_DOMAIN = "acme.test";
    static final Duration BOUND = Duration.ofMinutes(3);

    /** The agent's clock; tests move it forward to make a renewal due. */
    static final class MovableClock extends Clock {
        volatile Duration offset = Duration.ZERO;

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }
    }

    @TempDir
    static Path dir;
    static EdgeTestEnv env;
    static Pebble pebble;
    static EdgeAgent agent;
    static MovableClock clock = new MovableClock();
    static int httpPort;
    static ExternalDomain domain;

    @BeforeAll
    static void start() throws Exception {
        env = new EdgeTestEnv(dir);
        httpPort = EdgeTestEnv.freeTcpPort();
        pebble = new Pebble(dir.resolve("pebble"), httpPort);
        ContainerAddresses app = env.container("app");
        int appPort = env.backend(app.ipv4(), "app");
        domain = env.registry.externalDomains().upsert(EdgeTestEnv.MANAGER, new ExternalDomainSpec(ACME_DOMAIN, env.site.id(),
                new ObjectMapper().createObjectNode().put("acmeEmail", "ops@example.com")
                        .put("acmeDirectoryUrl", pebble.directoryUrl()), null));
        env.registry.services().upsert(EdgeTestEnv.MANAGER, ServiceSpec.http(app.containerId(), "www", "www", domain.id(), "http",
                false, appPort));
        agent = EdgeAgent.start(env.agentConfig(AGENT, "--nginx-http-port=" + httpPort, "--acme-dir=" + dir.resolve("acme"),
                "--acme-ca-file=" + pebble.caFile, "--acme-check-interval=500ms", "--certificate-check-interval=500ms"),
                env.registry, clock);
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
        if (pebble != null) {
            pebble.close();
        }
        if (env != null) {
            env.close();
        }
    }

    @Test
    @Order(1)
    void aCertificateIsIssuedForANewDomainAndServed() throws Exception {
        EdgeTestEnv.await("nginx to serve a pebble certificate for www.acme.test", BOUND,
                () -> served("www." + ACME_DOMAIN).map(c -> c.getIssuerX500Principal().getName().contains("Pebble")).orElse(false));
        X509Certificate leaf = served("www." + ACME_DOMAIN).orElseThrow();
        assertThat(AcmeManager.names(leaf)).containsExactlyInAnyOrder(ACME_DOMAIN, "www." + ACME_DOMAIN);
        // the chain nginx sends validates against pebble's root
        assertThat(trustedByPebbleRoot("www." + ACME_DOMAIN)).isTrue();

        EdgeTestEnv.await("the certificate status in the registry", BOUND, () -> status().map(c -> c.notAfter() != null).orElse(false));
        EdgeCertificate status = status().orElseThrow();
        assertThat(status.issuer()).contains("Pebble");
        assertThat(status.notAfter()).isEqualTo(leaf.getNotAfter().toInstant());
        assertThat(status.names()).containsExactlyInAnyOrder(ACME_DOMAIN, "www." + ACME_DOMAIN);
        assertThat(status.lastError()).isNull();

        Path keys = dir.resolve("acme").resolve(ACME_DOMAIN);
        assertThat(Files.getPosixFilePermissions(keys.resolve(AcmeStore.DOMAIN_KEY)))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Files.getPosixFilePermissions(keys.resolve(AcmeStore.ACCOUNT_KEY)))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(env.status(AGENT).orElseThrow().skipped()).isEmpty();
    }

    @Test
    @Order(2)
    void renewalReplacesTheCertificateWithoutARestart() throws Exception {
        X509Certificate before = served("www." + ACME_DOMAIN).orElseThrow();
        long nginxPid = Long.parseLong(Files.readString(env.runtimeDir.resolve("nginx.pid")).strip());

        // past two thirds of the lifetime (pebble issues for five years)
        Duration lifetime = Duration.between(before.getNotBefore().toInstant(), before.getNotAfter().toInstant());
        clock.offset = lifetime.multipliedBy(3).dividedBy(4);

        EdgeTestEnv.await("nginx to serve the renewed certificate", BOUND,
                () -> served("www." + ACME_DOMAIN).map(c -> !c.getSerialNumber().equals(before.getSerialNumber())).orElse(false));
        assertThat(Long.parseLong(Files.readString(env.runtimeDir.resolve("nginx.pid")).strip()))
                .as("same nginx master: reloaded, not restarted").isEqualTo(nginxPid);
        X509Certificate after = served("www." + ACME_DOMAIN).orElseThrow();
        EdgeTestEnv.await("the renewed certificate in the registry", BOUND,
                () -> status().map(s -> after.getSerialNumber().toString(16).equals(s.serial())).orElse(false));
        clock.offset = Duration.ZERO;
    }

    static Optional<EdgeCertificate> status() {
        return env.registry.edgeCertificates().listByDomain(domain.id()).stream().filter(c -> c.agentId().equals(AGENT)).findFirst();
    }

    /** The leaf nginx presents for {@code host} (SNI), without judging it. */
    static Optional<X509Certificate> served(String host) {
        try {
            SSLContext trustAll = SSLContext.getInstance("TLS");
            trustAll.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            return handshake(trustAll, host).map(chain -> chain[0]);
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    static boolean trustedByPebbleRoot(String host) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pebble.root().getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return handshake(context, host).isPresent();
    }

    private static Optional<X509Certificate[]> handshake(SSLContext context, String host) {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", env.httpsPort), 5000);
            socket.setSoTimeout(5000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(host)));
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return Optional.of((X509Certificate[]) socket.getSession().getPeerCertificates());
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
