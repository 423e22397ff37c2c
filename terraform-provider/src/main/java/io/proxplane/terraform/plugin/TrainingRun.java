package io.proxplane.terraform.plugin;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.proxplane.terraform.proto.goplugin.GRPCControllerGrpc;
import io.proxplane.terraform.proto.goplugin.GrpcControllerProto;
import io.proxplane.terraform.proto.v6.ProviderGrpc;
import io.proxplane.terraform.proto.v6.Tfplugin6;
import io.proxplane.terraform.value.MsgpackCodec;
import io.proxplane.terraform.provider.ProviderConfig;
import io.proxplane.terraform.value.TfValue;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The start-up training run behind the shipped AOT cache / CDS archive. It launches the real
 * provider ({@code io.proxplane.terraform.Main}) in a child JVM whose command line it is given —
 * the package build adds the archive-writing flag to the launcher's own flags — and plays
 * Terraform against it: magic cookie, protocol negotiation, AutoMTLS with a client certificate,
 * GetProviderSchema, ValidateProviderConfig, ConfigureProvider (which builds the Proxmox client)
 * and Shutdown. The archive so holds what a launch loads and links, and nothing of the client
 * side, which lives in this process. Exits 0 when the child served all of it and exited 0.
 *
 * <pre>java -cp provider.jar io.proxplane.terraform.plugin.TrainingRun java [jvm flags] -cp provider.jar io.proxplane.terraform.Main</pre>
 */
public final class TrainingRun {

    private static final long CHILD_EXIT_SECONDS = 300;

    private TrainingRun() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: TrainingRun <java> [jvm flags] -cp <provider jar> io.proxplane.terraform.Main");
            System.exit(2);
        }
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        SelfSignedCertificate client = SelfSignedCertificate.generate();
        ProcessBuilder pb = new ProcessBuilder(List.of(args)).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put(Handshake.MAGIC_COOKIE_KEY, Handshake.MAGIC_COOKIE_VALUE);
        // What Terraform >= 1.0 and OpenTofu offer; protocol 6 is negotiated, as in real use.
        pb.environment().put("PLUGIN_PROTOCOL_VERSIONS", "5,6");
        pb.environment().put("PLUGIN_CLIENT_CERT", client.pem());
        pb.environment().remove(Handshake.PROTOCOLS_ENV);
        pb.environment().remove("PROXPLANE_TF_TRACE");
        Process provider = pb.start();
        try {
            String line = new BufferedReader(new InputStreamReader(provider.getInputStream(), StandardCharsets.UTF_8)).readLine();
            String[] parts = line == null ? new String[0] : line.split("\\|", -1);
            if (parts.length != 6 || !"1".equals(parts[0]) || !"6".equals(parts[1]) || !"grpc".equals(parts[4])) {
                throw new IllegalStateException("training run: unexpected handshake line: " + line);
            }
            String[] hostPort = parts[3].split(":");
            X509Certificate server = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(Base64.getDecoder().decode(parts[5])));
            ManagedChannel channel = connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), client, server);
            try {
                exercise(channel);
            } finally {
                channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
            }
            // The archive is written while the child exits.
            if (!provider.waitFor(CHILD_EXIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("training run: the provider did not exit after Shutdown");
            }
            if (provider.exitValue() != 0) {
                throw new IllegalStateException("training run: the provider exited with " + provider.exitValue());
            }
        } finally {
            provider.destroyForcibly();
        }
        System.exit(0);
    }

    private static void exercise(ManagedChannel channel) {
        var stub = ProviderGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
        Tfplugin6.GetProviderSchema.Response schema = stub.getProviderSchema(Tfplugin6.GetProviderSchema.Request.getDefaultInstance());
        if (schema.getDiagnosticsCount() > 0 || schema.getResourceSchemasCount() == 0) {
            throw new IllegalStateException("training run: bad schema response " + schema.getDiagnosticsList());
        }
        byte[] config = MsgpackCodec.encode(TfValue.obj(Map.of(
                "endpoint", TfValue.of("https://127.0.0.1:8006"),
                "api_token", TfValue.of("training@pve!run=secret"),
                "insecure", TfValue.of(true))), ProviderConfig.schema().type());
        var dv = Tfplugin6.DynamicValue.newBuilder().setMsgpack(com.google.protobuf.ByteString.copyFrom(config)).build();
        stub.validateProviderConfig(Tfplugin6.ValidateProviderConfig.Request.newBuilder().setConfig(dv).build());
        stub.configureProvider(Tfplugin6.ConfigureProvider.Request.newBuilder().setConfig(dv).build());
        GRPCControllerGrpc.newBlockingStub(channel).shutdown(GrpcControllerProto.Empty.getDefaultInstance());
    }

    /** An mTLS client the way go-plugin dials: trust only the handshake's certificate, name localhost. */
    public static ManagedChannel connect(InetSocketAddress address, SelfSignedCertificate client, X509Certificate server)
            throws javax.net.ssl.SSLException {
        var ssl = GrpcSslContexts.configure(SslContextBuilder.forClient()
                .keyManager(client.key(), client.certificate())
                .trustManager(server), SslProvider.JDK).build();
        return NettyChannelBuilder.forAddress(address)
                .sslContext(ssl)
                .overrideAuthority("localhost")
                .maxInboundMessageSize(PluginServer.MAX_MESSAGE_BYTES)
                .build();
    }
}
