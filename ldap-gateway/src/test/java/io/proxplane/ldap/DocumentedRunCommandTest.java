package io.proxplane.ldap;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.RootDSE;
import com.unboundid.util.ssl.SSLUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command docs/ldap-gateway.md shows for running the gateway works as written: its options are
 * run unchanged through {@link Main} (the bin/ wrapper's own start is covered by local-platform's
 * DocumentedCommandsTest), with only the database, the two paths and the ports swapped for the
 * test's.
 */
class DocumentedRunCommandTest {
    static final Path ROOT = Path.of(System.getProperty("proxplane.project.root", "..")).toAbsolutePath().normalize();
    static final String PG = "jdbc:postgresql://127.0.0.1:5432/";
    static String dbName;

    @TempDir
    Path dir;

    @BeforeAll
    static void createDatabase() throws Exception {
        dbName = "proxplane_ldap_doc_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffffL);
        RegistryDirectorySourceTest.admin("create database " + dbName);
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        RegistryDirectorySourceTest.admin("drop database if exists " + dbName + " with (force)");
    }

    /** The documented `bin/proxplane-ldap-gateway --registry-url=...` command, continuation lines joined. */
    static List<String> documentedArguments() throws Exception {
        String doc = Files.readString(ROOT.resolve("docs/ldap-gateway.md"));
        Matcher m = Pattern.compile("(?m)^bin/proxplane-ldap-gateway --registry-url(?:[^\\n]*\\\\\\n)*[^\\n]*$").matcher(doc);
        assertThat(m.find()).as("docs/ldap-gateway.md shows the run command").isTrue();
        String command = m.group().replace("\\\n", " ");
        List<String> words = new ArrayList<>(List.of(command.trim().split("\\s+")));
        assertThat(words.remove(0)).isEqualTo("bin/proxplane-ldap-gateway");
        return words;
    }

    @Test
    void theDocumentedRunCommandStartsAndServes() throws Exception {
        List<String> args = new ArrayList<>();
        boolean sawCaDir = false;
        for (String w : documentedArguments()) {
            String name = w.contains("=") ? w.substring(0, w.indexOf('=')) : w;
            switch (name) {
                case "--registry-url" -> args.add("--registry-url=" + PG + dbName + "?user=postgres");
                case "--ca-dir" -> {
                    args.add("--ca-dir=" + dir.resolve("ca"));
                    sawCaDir = true;
                }
                case "--ca-cert-out" -> args.add("--ca-cert-out=" + dir.resolve("ca.crt"));
                default -> args.add(w);
            }
        }
        assertThat(sawCaDir).as("the documented command uses the internal CA").isTrue();
        int ldap = freePort();
        int ldaps = freePort();
        int http = freePort();
        args.addAll(List.of("--listen=127.0.0.1", "--ldap-port=" + ldap, "--ldaps-port=" + ldaps, "--http-port=" + http));

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        Path log = dir.resolve("gateway.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            // a hang guard of minutes, not a budget: the gateway migrates a fresh registry first
            long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (System.nanoTime() < end && p.isAlive() && !Files.readString(log).contains("ldap-gateway serving")) {
                Thread.sleep(100);
            }
            assertThat(p.isAlive()).as("gateway still running; its output:\n" + Files.readString(log)).isTrue();
            assertThat(Files.readString(log)).contains("ldap-gateway serving dc=");

            try (LDAPConnection c = new LDAPConnection("127.0.0.1", ldap)) {
                RootDSE root = c.getRootDSE();
                assertThat(root.getNamingContextDNs()).hasSize(1);
            }
            // the written CA certificate is the one the LDAPS certificate chains to
            X509Certificate ca;
            try (InputStream in = Files.newInputStream(dir.resolve("ca.crt"))) {
                ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLUtil ssl = new SSLUtil(tmf.getTrustManagers());
            try (LDAPConnection c = new LDAPConnection(ssl.createSSLSocketFactory(), "127.0.0.1", ldaps)) {
                assertThat(c.getRootDSE().getNamingContextDNs()).hasSize(1);
            }
        } finally {
            p.destroy();
            if (!p.waitFor(2, TimeUnit.MINUTES)) p.destroyForcibly().waitFor();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(out).doesNotContain("Exception in thread \"main\"");
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
