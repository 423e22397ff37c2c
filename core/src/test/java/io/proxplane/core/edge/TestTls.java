package io.proxplane.core.edge;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * A throw-away self-signed certificate made with the JDK's keytool (no extra dependency), exported
 * as PEM for nginx and usable as trust anchor for the test clients and as key for HTTPS backends.
 */
final class TestTls {

    private static final char[] PASSWORD = "changeit".toCharArray();

    final Path certificatePem;
    final Path keyPem;
    final KeyStore keyStore;
    final X509Certificate certificate;

    private TestTls(Path certificatePem, Path keyPem, KeyStore keyStore, X509Certificate certificate) {
        this.certificatePem = certificatePem;
        this.keyPem = keyPem;
        this.keyStore = keyStore;
        this.certificate = certificate;
    }

    static TestTls create(Path dir, List<String> dnsNames) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Path store = dir.resolve("edge-test.p12");
        StringBuilder san = new StringBuilder("san=");
        for (int i = 0; i < dnsNames.size(); i++) {
            san.append(i == 0 ? "" : ",").append("dns:").append(dnsNames.get(i));
        }
        san.append(",ip:127.0.0.1");
        EdgeBinaries.Result result = EdgeBinaries.run(List.of(keytool.toString(), "-genkeypair", "-alias", "edge",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + dnsNames.get(0), "-ext", san.toString(),
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)), 60);
        if (result.exitCode() != 0) {
            throw new AssertionError("keytool failed: " + result.output());
        }
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, PASSWORD);
        }
        X509Certificate certificate = (X509Certificate) keyStore.getCertificate("edge");
        PrivateKey key = (PrivateKey) keyStore.getKey("edge", PASSWORD);
        Path certificatePem = dir.resolve("edge-test.crt");
        Path keyPem = dir.resolve("edge-test.key");
        Files.writeString(certificatePem, pem("CERTIFICATE", certificate.getEncoded()));
        Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));
        return new TestTls(certificatePem, keyPem, keyStore, certificate);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    X509TrustManager trustManager() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("edge", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        return (X509TrustManager) factory.getTrustManagers()[0];
    }

    SSLContext clientContext() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new javax.net.ssl.TrustManager[] {trustManager()}, null);
        return context;
    }

    SSLContext serverContext() throws Exception {
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keyStore, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }
}
