package io.proxplane.terraform.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.proxplane.terraform.framework.ProviderCore;
import io.proxplane.terraform.proto.v6.ProviderGrpc;
import io.proxplane.terraform.proto.v6.Tfplugin6;
import io.proxplane.terraform.provider.ProxplaneProvider;
import java.security.interfaces.ECPublicKey;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Only the client whose certificate came in PLUGIN_CLIENT_CERT may talk to the provider. */
class MutualTlsTest {

    @Test
    void theLaunchingClientIsServedAndAnyOtherClientIsRefused() throws Exception {
        SelfSignedCertificate terraform = SelfSignedCertificate.generate();
        SelfSignedCertificate intruder = SelfSignedCertificate.generate();
        try (PluginServer server = PluginServer.start(new ProviderCore(new ProxplaneProvider(Map.of())), 6,
                terraform.certificate(), () -> { })) {
            ManagedChannel good = TrainingRun.connect(server.address(), terraform, server.certificate().certificate());
            ManagedChannel bad = TrainingRun.connect(server.address(), intruder, server.certificate().certificate());
            try {
                var schema = ProviderGrpc.newBlockingStub(good).getProviderSchema(Tfplugin6.GetProviderSchema.Request.getDefaultInstance());
                assertThat(schema.getDataSourceSchemasCount()).isEqualTo(5);
                assertThat(schema.getResourceSchemasMap()).hasSize(8).containsKey("proxplane_directory_service_account");
                assertThatThrownBy(() -> ProviderGrpc.newBlockingStub(bad)
                        .getProviderSchema(Tfplugin6.GetProviderSchema.Request.getDefaultInstance()))
                        .isInstanceOf(StatusRuntimeException.class);
            } finally {
                good.shutdownNow();
                bad.shutdownNow();
            }
        }
    }

    /** The path Main takes: the TLS side prepared on its own threads from the client's PEM. */
    @Test
    void preparedTlsServesTheClientFromThePemOnly() throws Exception {
        SelfSignedCertificate terraform = SelfSignedCertificate.generate();
        SelfSignedCertificate intruder = SelfSignedCertificate.generate();
        var tls = ServerTls.prepare(terraform.pem());
        try (PluginServer server = PluginServer.startPrepared(new ProviderCore(new ProxplaneProvider(Map.of())), 6, tls, PortRange.EPHEMERAL, () -> { })) {
            assertThat(server.certificate()).isSameAs(ServerTls.join(tls).certificate());
            assertThat(((ECPublicKey) server.certificate().certificate().getPublicKey()).getParams().getCurve().getField().getFieldSize())
                    .isEqualTo(384);
            ManagedChannel good = TrainingRun.connect(server.address(), terraform, server.certificate().certificate());
            ManagedChannel bad = TrainingRun.connect(server.address(), intruder, server.certificate().certificate());
            try {
                assertThat(ProviderGrpc.newBlockingStub(good).getProviderSchema(Tfplugin6.GetProviderSchema.Request.getDefaultInstance())
                        .getResourceSchemasCount()).isEqualTo(8);
                assertThatThrownBy(() -> ProviderGrpc.newBlockingStub(bad)
                        .getProviderSchema(Tfplugin6.GetProviderSchema.Request.getDefaultInstance()))
                        .isInstanceOf(StatusRuntimeException.class);
            } finally {
                good.shutdownNow();
                bad.shutdownNow();
            }
        }
    }

    @Test
    void aClientCertificateThatIsNotPemIsReportedByName() {
        assertThatThrownBy(() -> ServerTls.join(ServerTls.prepare("not a certificate")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PLUGIN_CLIENT_CERT");
    }
}
