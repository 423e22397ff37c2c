package io.proxplane.terraform.plugin;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.proxplane.terraform.StartupTrace;
import io.proxplane.terraform.framework.ProviderCore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC server Terraform talks to: the negotiated provider service plus go-plugin's
 * controller, stdio and broker, on 127.0.0.1 with an ephemeral port or the first free one of
 * go-plugin's PLUGIN_MIN_PORT..PLUGIN_MAX_PORT.
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
        return startPrepared(core, protocolVersion,
                clientCertificate == null ? null : CompletableFuture.completedFuture(ServerTls.create(clientCertificate)),
                PortRange.EPHEMERAL, onShutdown);
    }

    /**
     * As above, with the TLS side being prepared elsewhere ({@link ServerTls#prepare}; null means
     * plaintext): it is the slowest part of a cold start and needs nothing from the provider, so it
     * is joined only when the server is about to bind.
     */
    public static PluginServer startPrepared(ProviderCore core, int protocolVersion, CompletableFuture<ServerTls> tls,
                                             PortRange ports, Runnable onShutdown) throws IOException {
        // Our own event loops (not grpc's shared ones) so that close() can stop their threads:
        // HotSpot's exit waits up to 300 ms for threads sitting in native code such as epoll_wait.
        EventLoopGroup boss = new NioEventLoopGroup(1);
        EventLoopGroup workers = new NioEventLoopGroup(2);
        StartupTrace.mark("event loops");
        BindableService provider = providerService(core, protocolVersion);
        StartupTrace.mark("provider service created");
        SelfSignedCertificate cert = null;
        io.grpc.netty.shaded.io.netty.handler.ssl.SslContext ssl = null;
        if (tls != null) {
            ServerTls ready = ServerTls.join(tls);
            StartupTrace.mark("TLS joined");
            cert = ready.certificate();
            ssl = ready.context();
        }
        IOException lastFailure = null;
        for (int port = ports.min(); port <= ports.max(); port++) {
            try {
                Server server = configure(provider, onShutdown, boss, workers, ssl, port).build().start();
                StartupTrace.mark("gRPC server started");
                return new PluginServer(server, cert, protocolVersion, boss, workers);
            } catch (IOException e) {
                lastFailure = e; // taken: the next port of the range (go-plugin does the same)
            }
        }
        boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        throw new IOException("no free port on 127.0.0.1 between " + ports.min() + " and " + ports.max()
                + " (" + PortRange.MIN_ENV + ", " + PortRange.MAX_ENV + ")", lastFailure);
    }

    private static NettyServerBuilder configure(BindableService provider, Runnable onShutdown, EventLoopGroup boss,
                                            EventLoopGroup workers, io.grpc.netty.shaded.io.netty.handler.ssl.SslContext ssl,
                                            int port) {
        NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                .bossEventLoopGroup(boss)
                .workerEventLoopGroup(workers)
                .channelType(NioServerSocketChannel.class)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .maxInboundMetadataSize(1 << 20)
                .addService(io.grpc.ServerInterceptors.intercept(provider, new CallCancellation()))
                .addService(new GoPluginServices.Controller(onShutdown))
                .addService(new GoPluginServices.Stdio())
                .addService(new GoPluginServices.Broker());
        if (ssl != null) {
            b.sslContext(ssl);
        }
        return b;
    }

    /**
     * Starts, on a thread of its own, the one-time initialisation the server needs and that does
     * not depend on the provider: Netty's platform probing (event loops) and the protobuf
     * descriptors and gRPC method descriptors of the negotiated protocol and go-plugin's services.
     * Whichever thread reaches a class first initialises it; the main thread meanwhile sets the
     * provider up, so the two overlap on a multi-core machine and cost nothing extra on one core.
     */
    public static void prepare(int protocolVersion) {
        Thread t = new Thread(() -> {
            try {
                Class.forName(NioEventLoopGroup.class.getName(), true, PluginServer.class.getClassLoader());
                Class.forName("io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoop", true, PluginServer.class.getClassLoader());
                if (protocolVersion == 6) {
                    io.proxplane.terraform.proto.v6.ProviderGrpc.getServiceDescriptor();
                } else {
                    io.proxplane.terraform.proto.v5.ProviderGrpc.getServiceDescriptor();
                }
                io.proxplane.terraform.proto.goplugin.GRPCControllerGrpc.getServiceDescriptor();
                io.proxplane.terraform.proto.goplugin.GRPCStdioGrpc.getServiceDescriptor();
                io.proxplane.terraform.proto.goplugin.GRPCBrokerGrpc.getServiceDescriptor();
                StartupTrace.mark("gRPC prepared");
            } catch (ClassNotFoundException | RuntimeException | LinkageError e) {
                // Only a head start: the main thread meets and reports any real problem itself.
            }
        }, "grpc-prepare");
        t.setDaemon(true);
        t.start();
    }

    private static BindableService providerService(ProviderCore core, int protocolVersion) {
        return switch (protocolVersion) {
            case 5 -> new ProviderV5Service(core);
            case 6 -> new ProviderV6Service(core);
            default -> throw new IllegalArgumentException("protocol version " + protocolVersion + " is not served");
        };
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
