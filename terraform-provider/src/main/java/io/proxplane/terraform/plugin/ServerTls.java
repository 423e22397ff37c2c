package io.proxplane.terraform.plugin;

import io.grpc.netty.shaded.io.netty.handler.ssl.ApplicationProtocolConfig;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.grpc.netty.shaded.io.netty.handler.ssl.JdkSslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.proxplane.terraform.StartupTrace;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * The server side of AutoMTLS: our certificate (the handshake line carries it) and the TLS
 * context that presents it and admits only the client certificate from PLUGIN_CLIENT_CERT.
 *
 * <p>Building it is most of a cold start's CPU time (key generation, JSSE's and Netty's first
 * initialisation), none of which depends on the provider, so {@link #prepare} starts it on threads
 * of its own at the start of {@code main} while the provider and the gRPC server are set
 * up on the main thread.
 */
public record ServerTls(SelfSignedCertificate certificate, SslContext context) {

    /** Starts key generation and context building now; the future fails as {@link #join} says. */
    public static CompletableFuture<ServerTls> prepare(String clientPem) {
        CompletableFuture<SelfSignedCertificate> key = StartupThreads.start("tls-key", () -> {
            SelfSignedCertificate c = SelfSignedCertificate.generate();
            StartupTrace.mark("server certificate generated");
            return c;
        });
        return StartupThreads.start("tls-context", () -> {
            X509Certificate client = SelfSignedCertificate.parsePem(clientPem);
            warmUp();
            StartupTrace.mark("JSSE warmed up");
            SelfSignedCertificate cert = key.join();
            ServerTls tls = new ServerTls(cert, build(cert, client));
            StartupTrace.mark("TLS context built");
            return tls;
        });
    }

    /** As {@link #prepare}, on the calling thread ({@link PluginServer#start}, used by tests). */
    public static ServerTls create(X509Certificate clientCertificate) {
        SelfSignedCertificate cert = SelfSignedCertificate.generate();
        return new ServerTls(cert, build(cert, clientCertificate));
    }

    /** The prepared value; a bad PLUGIN_CLIENT_CERT comes out as its IllegalArgumentException. */
    public static ServerTls join(CompletableFuture<ServerTls> prepared) {
        try {
            return prepared.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /**
     * The JDK TLS provider, not netty's bundled BoringSSL: the Go client's certificate uses P-521,
     * which BoringSSL does not offer for client authentication (protocol §1.5). ALPN offers only
     * h2, which gRPC requires and newer grpc-go clients insist on.
     *
     * <p>A JDK {@link SSLContext} wrapped as it is, rather than Netty's {@code SslContextBuilder}:
     * the builder's server context class runs a one-time probe in its static initialiser (an RSA
     * key read from an encrypted PEM, a trust store, a test context) that was the largest single
     * item of a cold start, and tells us nothing we need.
     */
    static SslContext build(SelfSignedCertificate cert, X509Certificate clientCertificate) {
        try {
            SSLContext jdk = SSLContext.getInstance("TLS");
            // Key and trust managers of our own rather than a KeyStore round trip; the JDK's
            // default SecureRandom (non-blocking on Linux).
            jdk.init(new KeyManager[] {new PluginKeyManager(cert)},
                    new TrustManager[] {new PinnedClientTrustManager(clientCertificate)}, null);
            return new JdkSslContext(jdk, false, null, IdentityCipherSuiteFilter.INSTANCE, H2, ClientAuth.REQUIRE,
                    PROTOCOLS, false);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up the plugin's TLS server: " + e.getMessage(), e);
        }
    }

    /**
     * TLS 1.3, and 1.2 for hosts built with Go before 1.13 (go-plugin's client asks for at least
     * 1.2). Cipher suites: the JDK's defaults for these versions (forward secret, AEAD first).
     */
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private static final ApplicationProtocolConfig H2 = new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, "h2");

    /**
     * JSSE's and Netty's one-time set-up (the JDK's default context, cipher suite lists) does not
     * need our certificate: Netty's JDK context class computes it in its static initialiser.
     */
    private static void warmUp() {
        try {
            Class.forName(JdkSslContext.class.getName(), true, ServerTls.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
