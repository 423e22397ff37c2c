package io.proxplane.core.proxmox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HexFormat;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies a {@link TlsTrust} to an OkHttp client builder. */
final class TlsSupport {

    private static final Logger LOG = LoggerFactory.getLogger(TlsSupport.class);

    private TlsSupport() {
    }

    static void apply(TlsTrust trust, OkHttpClient.Builder builder) {
        switch (trust) {
            case TlsTrust.SystemDefault s -> {
                // OkHttp's defaults: JDK trust store and hostname verification.
            }
            case TlsTrust.CaBundle ca -> {
                X509TrustManager tm = caBundleTrustManager(ca);
                builder.sslSocketFactory(context(tm).getSocketFactory(), tm);
            }
            case TlsTrust.PinnedSha256 pin -> {
                X509TrustManager tm = new PinnedTrustManager(pin.bytes(), pin.fingerprint());
                builder.sslSocketFactory(context(tm).getSocketFactory(), tm);
                builder.hostnameVerifier(ACCEPT_ANY_HOST);
            }
            case TlsTrust.Insecure i -> {
                LOG.warn("TLS certificate verification is DISABLED for the Proxmox API (TlsTrust.insecure()); "
                        + "anyone on the network path can impersonate the server");
                X509TrustManager tm = new TrustAllManager();
                builder.sslSocketFactory(context(tm).getSocketFactory(), tm);
                builder.hostnameVerifier(ACCEPT_ANY_HOST);
            }
        }
    }

    private static final HostnameVerifier ACCEPT_ANY_HOST = (host, session) -> true;

    private static SSLContext context(TrustManager tm) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {tm}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot initialise TLS", e);
        }
    }

    private static X509TrustManager caBundleTrustManager(TlsTrust.CaBundle ca) {
        try (InputStream in = Files.newInputStream(ca.pemFile())) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("TLS CA bundle " + ca.pemFile() + ": no certificates found");
            }
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    return x;
                }
            }
            throw new IllegalStateException("no X509TrustManager available");
        } catch (IOException e) {
            throw new IllegalArgumentException("TLS CA bundle " + ca.pemFile() + ": cannot read: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("TLS CA bundle " + ca.pemFile() + ": not a PEM certificate file: " + e.getMessage(), e);
        }
    }

    static String sha256Fingerprint(X509Certificate cert) throws CertificateException {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Trusts exactly one leaf certificate, identified by its SHA-256 fingerprint. */
    static final class PinnedTrustManager implements X509TrustManager {
        private final byte[] pin;
        private final String pinText;

        PinnedTrustManager(byte[] pin, String pinText) {
            this.pin = pin.clone();
            this.pinText = pinText;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("server sent no certificate");
            }
            byte[] actual;
            try {
                actual = MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded());
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new CertificateException(e);
            }
            if (!MessageDigest.isEqual(pin, actual)) {
                throw new CertificateException("server certificate SHA-256 fingerprint " + sha256Fingerprint(chain[0])
                        + " does not match the pinned " + pinText);
            }
            // No validity-period check: the pin is the server's identity, and PVE's self-signed
            // certificate is replaced (and the pin with it) rather than renewed in place.
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    private static final class TrustAllManager implements X509TrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // deliberately trusts everything: TlsTrust.insecure()
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
