package io.proxplane.terraform.plugin;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.proxplane.terraform.framework.ProviderCore;
import io.proxplane.terraform.proto.goplugin.GRPCControllerGrpc;
import io.proxplane.terraform.proto.goplugin.GrpcControllerProto;
import io.proxplane.terraform.proto.v5.Tfplugin5;
import io.proxplane.terraform.proto.v6.Tfplugin6;
import io.proxplane.terraform.provider.ProxplaneProvider;
import io.proxplane.terraform.value.MsgpackCodec;
import io.proxplane.terraform.value.TfValue;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The start-up training run behind the shipped CDS/AOT archive: it walks the same path as a real
 * launch (certificate, TLS server, both protocol adapters, schema, config validation, a configure
 * that builds the Proxmox client, Shutdown) with an in-process mTLS client playing Terraform, so
 * the archive holds the classes a real launch loads. Run by the package build; exits 0 on success.
 */
public final class TrainingRun {

    private TrainingRun() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        SelfSignedCertificate client = SelfSignedCertificate.generate();
        X509Certificate clientCert = SelfSignedCertificate.parsePem(client.pem());
        ProviderCore core = new ProviderCore(new ProxplaneProvider(Map.of()));
        byte[] config = MsgpackCodec.encode(TfValue.obj(Map.of(
                "endpoint", TfValue.of("https://127.0.0.1:8006"),
                "api_token", TfValue.of("training@pve!run=secret"),
                "insecure", TfValue.of(true))), core.schemas().provider().type());
        for (int version : new int[] {6, 5}) {
            try (PluginServer server = PluginServer.start(core, version, clientCert, () -> { })) {
                Handshake.line(version, server.address(), server.certificate().der());
                ManagedChannel channel = connect(server.address(), client, server.certificate().certificate());
                try {
                    if (version == 6) {
                        var stub = io.proxplane.terraform.proto.v6.ProviderGrpc.newBlockingStub(channel);
                        stub.getProviderSchema(Tfplugin6.GetProviderSchema.Request.getDefaultInstance());
                        var dv = Tfplugin6.DynamicValue.newBuilder().setMsgpack(com.google.protobuf.ByteString.copyFrom(config)).build();
                        stub.validateProviderConfig(Tfplugin6.ValidateProviderConfig.Request.newBuilder().setConfig(dv).build());
                        stub.configureProvider(Tfplugin6.ConfigureProvider.Request.newBuilder().setConfig(dv).build());
                    } else {
                        var stub = io.proxplane.terraform.proto.v5.ProviderGrpc.newBlockingStub(channel);
                        stub.getSchema(Tfplugin5.GetProviderSchema.Request.getDefaultInstance());
                        var dv = Tfplugin5.DynamicValue.newBuilder().setMsgpack(com.google.protobuf.ByteString.copyFrom(config)).build();
                        stub.prepareProviderConfig(Tfplugin5.PrepareProviderConfig.Request.newBuilder().setConfig(dv).build());
                        stub.configure(Tfplugin5.Configure.Request.newBuilder().setConfig(dv).build());
                    }
                    GRPCControllerGrpc.newBlockingStub(channel).shutdown(GrpcControllerProto.Empty.getDefaultInstance());
                } finally {
                    channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
                }
            }
        }
        System.exit(0);
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
