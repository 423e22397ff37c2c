package io.proxplane.terraform.plugin;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.proxplane.terraform.framework.ProviderCore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The gRPC server Terraform talks to: the negotiated provider service plus go-plugin's
 * controller, stdio and broker, on 127.0.0.1 with an ephemeral port.
 */
public final class PluginServer implements AutoCloseable {

    /** terraform-plugin-go's limit; grpc-java's default of 4 MiB breaks large plans and states. */
    public static final int MAX_MESSAGE_BYTES = 256 << 20;

    private final Server server;
    private final SelfSignedCertificate certificate;
    private final int protocolVersion;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;

    private PluginServer(Server server, SelfSignedCertificate certificate, int protocolVersion, EventLoopGroup boss,
                         EventLoopGroup workers) {
        this.server = server;
        this.certificate = certificate;
        this.protocolVersion = protocolVersion;
        this.boss = boss;
        this.workers = workers;
    }

    /**
     * Starts serving. With {@code clientCertificate} (AutoMTLS, PLUGIN_CLIENT_CERT) the server
     * speaks TLS with a fresh self-signed certificate and requires exactly that client
     * certificate; without it, plaintext (what go-plugin does with TLS disabled).
     */
    public static PluginServer start(ProviderCore core, int protocolVersion, X509Certificate clientCertificate,
                                     Runnable onShutdown) throws IOException {
        return start(core, protocolVersion, clientCertificate,
                clientCertificate == null ? null : CompletableFuture.completedFuture(SelfSignedCertificate.generate()), onShutdown);
    }

    /**
     * As above, with the server certificate being generated elsewhere: key generation and JSSE's
     * first initialisation are the slowest steps of a cold start, and they can overlap.
     */
    public static PluginServer start(ProviderCore core, int protocolVersion, X509Certificate clientCertificate,
                                     CompletableFuture<SelfSignedCertificate> serverCertificate, Runnable onShutdown)
            throws IOException {
        // Our own event loops (not grpc's shared ones) so that close() can stop their threads:
        // HotSpot's exit waits up to 300 ms for threads sitting in native code such as epoll_wait.
        EventLoopGroup boss = new NioEventLoopGroup(1);
        EventLoopGroup workers = new NioEventLoopGroup(2);
        NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .bossEventLoopGroup(boss)
                .workerEventLoopGroup(workers)
                .channelType(NioServerSocketChannel.class)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .maxInboundMetadataSize(1 << 20)
                .addService(providerService(core, protocolVersion))
                .addService(new GoPluginServices.Controller(onShutdown))
                .addService(new GoPluginServices.Stdio())
                .addService(new GoPluginServices.Broker());
        SelfSignedCertificate cert = null;
        if (clientCertificate != null) {
            warmUpJsse();
            cert = serverCertificate.join();
            b.sslContext(sslContext(cert, clientCertificate));
        }
        return new PluginServer(b.build().start(), cert, protocolVersion, boss, workers);
    }

    /** JSSE's one-time set-up (cipher suites, engines) does not need our certificate. */
    private static void warmUpJsse() {
        try {
            javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
            ctx.init(null, null, null);
            ctx.createSSLEngine().getSupportedCipherSuites();
        } catch (java.security.GeneralSecurityException e) {
            // Only a warm-up; the real context reports real problems.
        }
    }

    private static BindableService providerService(ProviderCore core, int protocolVersion) {
        return switch (protocolVersion) {
            case 5 -> new ProviderV5Service(core);
            case 6 -> new ProviderV6Service(core);
            default -> throw new IllegalArgumentException("protocol version " + protocolVersion + " is not served");
        };
    }

    /**
     * The JDK TLS provider, not netty's bundled BoringSSL: the Go client's certificate uses P-521,
     * which BoringSSL does not offer for client authentication (protocol §1.5). GrpcSslContexts
     * sets ALPN h2, which newer grpc-go clients insist on.
     */
    static SslContext sslContext(SelfSignedCertificate cert, X509Certificate clientCertificate) throws SSLException {
        // Key and trust managers of our own rather than netty's KeyStore round trip, whose
        // password-based key encryption alone costs ~150 ms of a cold start.
        SslContextBuilder builder = SslContextBuilder.forServer(new PluginKeyManager(cert))
                .trustManager(new PinnedClientTrustManager(clientCertificate))
                .clientAuth(ClientAuth.REQUIRE);
        return GrpcSslContexts.configure(builder, SslProvider.JDK).build();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.getListenSockets().get(0);
    }

    public String handshakeLine() {
        return Handshake.line(protocolVersion, address(), certificate == null ? null : certificate.der());
    }

    public SelfSignedCertificate certificate() {
        return certificate;
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /** Stops serving and ends the event-loop threads (quickly: no quiet period). */
    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(1, TimeUnit.SECONDS);
            boss.shutdownGracefully(0, 200, TimeUnit.MILLISECONDS);
            workers.shutdownGracefully(0, 200, TimeUnit.MILLISECONDS);
            boss.awaitTermination(1, TimeUnit.SECONDS);
            workers.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
