package io.proxplane.terraform.framework;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.proxplane.core.proxmox.Cancellation;
import io.proxplane.core.proxmox.error.CancelledException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.proxplane.pvesim.PveSimulator;
import io.proxplane.pvesim.junit.PveSimulatorExtension;
import io.proxplane.terraform.diag.AttributePath;
import io.proxplane.terraform.diag.Diagnostics;
import io.proxplane.terraform.plugin.PluginServer;
import io.proxplane.terraform.proto.v5.Tfplugin5;
import io.proxplane.terraform.proto.v6.ProviderGrpc;
import io.proxplane.terraform.proto.v6.Tfplugin6;
import io.proxplane.terraform.provider.ProxplaneProvider;
import io.proxplane.terraform.schema.Attribute;
import io.proxplane.terraform.schema.Block;
import io.proxplane.terraform.schema.Schema;
import io.proxplane.terraform.value.MsgpackCodec;
import io.proxplane.terraform.value.TfType;
import io.proxplane.terraform.value.TfValue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The RPCs over real gRPC (plaintext loopback, as with TF_DISABLE_PLUGIN_TLS): the provider's data
 * sources against the simulator, and the generic resource plumbing with a resource defined here
 * in the test (independent of the engine-backed resources, which `EngineResourcesTest` covers).
 */
class ProviderRpcTest {

    @RegisterExtension
    static final PveSimulatorExtension SIM = PveSimulatorExtension.with(b -> b.nodes("alpha", "beta"));

    /** A note kept in memory: text (required, replaces), id (computed). */
    static final class NoteResource implements Resource {
        final Map<String, String> notes = new ConcurrentHashMap<>();
        final AtomicInteger ids = new AtomicInteger();
        final CountDownLatch blocked = new CountDownLatch(1);
        final BlockingQueue<CancelledException> interruptions = new LinkedBlockingQueue<>();

        @Override
        public String typeName() {
            return "proxplane_test_note";
        }

        @Override
        public Schema schema() {
            return new Schema(1, Block.of("a note",
                    Attribute.required("text", TfType.STRING, "the text"),
                    Attribute.computed("id", TfType.STRING, "assigned id")));
        }

        @Override
        public void validate(TfValue.Obj config, Diagnostics d) {
            if (config.get("text") instanceof TfValue.Str s && s.value().isBlank()) {
                d.error(AttributePath.of("text"), "Empty text", "text must not be blank");
            }
        }

        @Override
        public Plan plan(PlanRequest r, Diagnostics d) {
            Plan p = Resource.super.plan(r, d);
            if (!r.priorState().isNull() && !r.proposedNewState().isNull()
                    && !((TfValue.Obj) r.priorState()).get("text").equals(((TfValue.Obj) r.proposedNewState()).get("text"))) {
                return new Plan(p.plannedState(), List.of(AttributePath.of("text")), p.plannedPrivate());
            }
            return p;
        }

        @Override
        public Applied apply(ApplyRequest r, Diagnostics d) {
            if (r.isDelete()) {
                notes.remove(((TfValue.Str) ((TfValue.Obj) r.priorState()).get("id")).value());
                return new Applied(TfValue.NULL, null);
            }
            TfValue.Obj planned = (TfValue.Obj) r.plannedState();
            if (planned.get("text").equals(TfValue.of(BLOCK))) {
                // Stands in for the engine waiting on a Proxmox task: only a cancel ends this.
                blocked.countDown();
                try {
                    Cancellation.current().sleep(Duration.ofMinutes(10));
                } catch (CancelledException e) {
                    interruptions.add(e);
                    throw e;
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            String id = "n" + ids.incrementAndGet();
            notes.put(id, ((TfValue.Str) planned.get("text")).value());
            return new Applied(planned.with("id", TfValue.of(id)), "p".getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public Read read(TfValue.Obj current, byte[] priv, Diagnostics d) {
            String id = ((TfValue.Str) current.get("id")).value();
            String text = notes.get(id);
            return new Read(text == null ? TfValue.NULL : current.with("text", TfValue.of(text)), priv);
        }

        @Override
        public List<TfValue.Obj> importState(String id, Diagnostics d) {
            if (!notes.containsKey(id)) {
                d.error("Cannot import non-existent remote object", "no note " + id);
                return List.of();
            }
            return List.of(TfValue.obj(Map.of("id", TfValue.of(id))));
        }
    }

    static final String BLOCK = "block until cancelled";
    static final long HANG_GUARD_SECONDS = 60;
    /** A thread per blocking call: the common pool may have a single thread. */
    static final Executor OWN_THREAD = r -> Thread.ofPlatform().daemon().name("rpc-test").start(r);

    final NoteResource notes = new NoteResource();
    PluginServer server;
    ManagedChannel channel;

    ProviderCore core() {
        ProxplaneProvider real = new ProxplaneProvider(Map.of());
        return new ProviderCore(new ProviderImplementation() {
            public Schema providerSchema() {
                return real.providerSchema();
            }

            public List<DataSource> dataSources() {
                return real.dataSources();
            }

            public List<Resource> resources() {
                return List.of(notes);
            }

            public void validateConfig(TfValue.Obj c, Diagnostics d) {
                real.validateConfig(c, d);
            }

            public void configure(TfValue.Obj c, String v, Diagnostics d) {
                real.configure(c, v, d);
            }
        });
    }

    ManagedChannel start(int version) throws Exception {
        server = PluginServer.start(core(), version, null, () -> { });
        channel = NettyChannelBuilder.forAddress(server.address()).usePlaintext().build();
        return channel;
    }

    @AfterEach
    void stop() {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (server != null) {
            server.close();
        }
    }

    static byte[] providerConfig(PveSimulator pve, TfType type) {
        return MsgpackCodec.encode(TfValue.obj(Map.of(
                "endpoint", TfValue.of(pve.baseUrl()),
                "api_token", TfValue.of(PveSimulatorExtension.DEFAULT_TOKEN_ID + "=" + PveSimulatorExtension.DEFAULT_TOKEN_SECRET),
                "tls_fingerprint", TfValue.of(pve.certificateFingerprintSha256()))), type);
    }

    static Tfplugin6.DynamicValue dv(byte[] b) {
        return Tfplugin6.DynamicValue.newBuilder().setMsgpack(ByteString.copyFrom(b)).build();
    }

    @Test
    void protocol6ConfiguresAndReadsNodesFromProxmox(PveSimulator pve) throws Exception {
        var stub = ProviderGrpc.newBlockingStub(start(6));
        var schema = stub.getProviderSchema(Tfplugin6.GetProviderSchema.Request.getDefaultInstance());
        assertThat(schema.getServerCapabilities().getPlanDestroy()).isTrue();
        assertThat(schema.getResourceSchemasMap().get("proxplane_test_note").getVersion()).isEqualTo(1);
        var nodesSchema = schema.getDataSourceSchemasMap().get("proxplane_nodes").getBlock();
        assertThat(nodesSchema.getAttributesList()).anySatisfy(a -> {
            assertThat(a.getName()).isEqualTo("names");
            assertThat(a.getType().toStringUtf8()).isEqualTo("[\"list\",\"string\"]");
            assertThat(a.getComputed()).isTrue();
        });
        assertThat(schema.getProvider().getBlock().getAttributesList())
                .filteredOn(a -> a.getName().equals("api_token")).singleElement()
                .satisfies(a -> assertThat(a.getSensitive()).isTrue());

        TfType providerType = new ProxplaneProvider(Map.of()).providerSchema().type();
        var configured = stub.configureProvider(Tfplugin6.ConfigureProvider.Request.newBuilder()
                .setTerraformVersion("1.6.2").setConfig(dv(providerConfig(pve, providerType))).build());
        assertThat(configured.getDiagnosticsList()).isEmpty();

        TfType nodesType = new io.proxplane.terraform.provider.NodesDataSource(null).schema().type();
        var read = stub.readDataSource(Tfplugin6.ReadDataSource.Request.newBuilder().setTypeName("proxplane_nodes")
                .setConfig(dv(MsgpackCodec.encode(TfValue.obj(Map.of()), nodesType))).build());
        assertThat(read.getDiagnosticsList()).isEmpty();
        TfValue.Obj state = (TfValue.Obj) MsgpackCodec.decode(read.getState().getMsgpack().toByteArray(), nodesType);
        assertThat(state.get("names")).isEqualTo(TfValue.seq(List.of(TfValue.of("alpha"), TfValue.of("beta"))));
    }

    @Test
    void protocol6ResourceLifecycleThroughTheGenericPlumbing() throws Exception {
        var stub = ProviderGrpc.newBlockingStub(start(6));
        TfType type = notes.schema().type();
        PveSimulator pve = SIM.simulator();
        stub.configureProvider(Tfplugin6.ConfigureProvider.Request.newBuilder()
                .setConfig(dv(providerConfig(pve, new ProxplaneProvider(Map.of()).providerSchema().type()))).build());

        // Validation points at the attribute.
        var invalid = stub.validateResourceConfig(Tfplugin6.ValidateResourceConfig.Request.newBuilder().setTypeName("proxplane_test_note")
                .setConfig(dv(MsgpackCodec.encode(TfValue.obj(Map.of("text", TfValue.of(" "))), type))).build());
        assertThat(invalid.getDiagnosticsList()).singleElement().satisfies(d -> {
            assertThat(d.getSeverity()).isEqualTo(Tfplugin6.Diagnostic.Severity.ERROR);
            assertThat(d.getAttribute().getSteps(0).getAttributeName()).isEqualTo("text");
        });

        // Create: the computed id is unknown in the plan, known after apply.
        byte[] config = MsgpackCodec.encode(TfValue.obj(Map.of("text", TfValue.of("hello"))), type);
        byte[] nil = MsgpackCodec.encode(TfValue.NULL, type);
        var plan = stub.planResourceChange(Tfplugin6.PlanResourceChange.Request.newBuilder().setTypeName("proxplane_test_note")
                .setPriorState(dv(nil)).setProposedNewState(dv(config)).setConfig(dv(config)).build());
        assertThat(plan.getDiagnosticsList()).isEmpty();
        TfValue.Obj planned = (TfValue.Obj) MsgpackCodec.decode(plan.getPlannedState().getMsgpack().toByteArray(), type);
        assertThat(planned.get("id").isUnknown()).isTrue();
        var applied = stub.applyResourceChange(Tfplugin6.ApplyResourceChange.Request.newBuilder().setTypeName("proxplane_test_note")
                .setPriorState(dv(nil)).setPlannedState(plan.getPlannedState()).setConfig(dv(config)).build());
        assertThat(applied.getDiagnosticsList()).isEmpty();
        assertThat(applied.getPrivate().toStringUtf8()).isEqualTo("p");
        TfValue.Obj created = (TfValue.Obj) MsgpackCodec.decode(applied.getNewState().getMsgpack().toByteArray(), type);
        assertThat(created.get("id")).isEqualTo(TfValue.of("n1"));

        // Upgrade from stored JSON, then refresh sees drift made behind Terraform's back.
        var upgraded = stub.upgradeResourceState(Tfplugin6.UpgradeResourceState.Request.newBuilder().setTypeName("proxplane_test_note")
                .setVersion(1).setRawState(Tfplugin6.RawState.newBuilder()
                        .setJson(ByteString.copyFromUtf8("{\"id\":\"n1\",\"text\":\"hello\",\"gone\":1}"))).build());
        assertThat(upgraded.getDiagnosticsList()).isEmpty();
        assertThat(MsgpackCodec.decode(upgraded.getUpgradedState().getMsgpack().toByteArray(), type)).isEqualTo(created);
        notes.notes.put("n1", "changed");
        var refreshed = stub.readResource(Tfplugin6.ReadResource.Request.newBuilder().setTypeName("proxplane_test_note")
                .setCurrentState(upgraded.getUpgradedState()).build());
        TfValue.Obj now = (TfValue.Obj) MsgpackCodec.decode(refreshed.getNewState().getMsgpack().toByteArray(), type);
        assertThat(now.get("text")).isEqualTo(TfValue.of("changed"));

        // Changing text requires replacement, reported as an attribute path.
        var replan = stub.planResourceChange(Tfplugin6.PlanResourceChange.Request.newBuilder().setTypeName("proxplane_test_note")
                .setPriorState(refreshed.getNewState()).setProposedNewState(dv(MsgpackCodec.encode(created, type)))
                .setConfig(dv(config)).build());
        assertThat(replan.getRequiresReplaceList()).singleElement()
                .satisfies(p -> assertThat(p.getSteps(0).getAttributeName()).isEqualTo("text"));

        // Import by id, and an error diagnostic for a missing one.
        var imported = stub.importResourceState(Tfplugin6.ImportResourceState.Request.newBuilder()
                .setTypeName("proxplane_test_note").setId("n1").build());
        assertThat(imported.getImportedResourcesList()).singleElement()
                .satisfies(i -> assertThat(i.getTypeName()).isEqualTo("proxplane_test_note"));
        var missing = stub.importResourceState(Tfplugin6.ImportResourceState.Request.newBuilder()
                .setTypeName("proxplane_test_note").setId("n9").build());
        assertThat(missing.getDiagnosticsList()).singleElement()
                .satisfies(d -> assertThat(d.getSummary()).contains("non-existent"));

        // Destroy: planned null, applied null.
        var destroyPlan = stub.planResourceChange(Tfplugin6.PlanResourceChange.Request.newBuilder().setTypeName("proxplane_test_note")
                .setPriorState(refreshed.getNewState()).setProposedNewState(dv(nil)).setConfig(dv(nil)).build());
        assertThat(destroyPlan.getPlannedState().getMsgpack().toByteArray()).containsExactly(0xc0);
        var destroyed = stub.applyResourceChange(Tfplugin6.ApplyResourceChange.Request.newBuilder().setTypeName("proxplane_test_note")
                .setPriorState(refreshed.getNewState()).setPlannedState(dv(nil)).setConfig(dv(nil)).build());
        assertThat(destroyed.getDiagnosticsList()).isEmpty();
        assertThat(destroyed.getNewState().getMsgpack().toByteArray()).containsExactly(0xc0);
        assertThat(notes.notes).isEmpty();
    }

    /** An ApplyResourceChange creating a note that blocks until its operation is cancelled. */
    Tfplugin6.ApplyResourceChange.Request blockingApply(ProviderGrpc.ProviderBlockingStub stub) {
        TfType type = notes.schema().type();
        stub.configureProvider(Tfplugin6.ConfigureProvider.Request.newBuilder()
                .setConfig(dv(providerConfig(SIM.simulator(), new ProxplaneProvider(Map.of()).providerSchema().type()))).build());
        byte[] config = MsgpackCodec.encode(TfValue.obj(Map.of("text", TfValue.of(BLOCK))), type);
        byte[] nil = MsgpackCodec.encode(TfValue.NULL, type);
        var plan = stub.planResourceChange(Tfplugin6.PlanResourceChange.Request.newBuilder().setTypeName("proxplane_test_note")
                .setPriorState(dv(nil)).setProposedNewState(dv(config)).setConfig(dv(config)).build());
        return Tfplugin6.ApplyResourceChange.Request.newBuilder().setTypeName("proxplane_test_note")
                .setPriorState(dv(nil)).setPlannedState(plan.getPlannedState()).setConfig(dv(config)).build();
    }

    @Test
    void stopProviderEndsAnApplyInProgressWithAClearError() throws Exception {
        var stub = ProviderGrpc.newBlockingStub(start(6));
        var request = blockingApply(stub);
        CompletableFuture<Tfplugin6.ApplyResourceChange.Response> apply =
                CompletableFuture.supplyAsync(() -> stub.applyResourceChange(request), OWN_THREAD);
        assertThat(notes.blocked.await(HANG_GUARD_SECONDS, TimeUnit.SECONDS)).isTrue();

        var stopped = stub.stopProvider(Tfplugin6.StopProvider.Request.getDefaultInstance());

        assertThat(stopped.getError()).isEmpty();
        var response = apply.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
        assertThat(response.getDiagnosticsList()).singleElement().satisfies(diag -> {
            assertThat(diag.getSeverity()).isEqualTo(Tfplugin6.Diagnostic.Severity.ERROR);
            assertThat(diag.getDetail()).contains(ProviderCore.STOP_REASON);
        });
        assertThat(notes.notes).isEmpty();
        // Later calls run normally: the cancel belonged to the operations in progress.
        var later = stub.validateResourceConfig(Tfplugin6.ValidateResourceConfig.Request.newBuilder().setTypeName("proxplane_test_note")
                .setConfig(request.getConfig()).build());
        assertThat(later.getDiagnosticsList()).isEmpty();
    }

    @Test
    void anApplyTheClientCancelsStopsWaiting() throws Exception {
        var stub = ProviderGrpc.newBlockingStub(start(6));
        var request = blockingApply(stub);
        Context.CancellableContext call = Context.current().withCancellation();
        CompletableFuture<Tfplugin6.ApplyResourceChange.Response> apply =
                CompletableFuture.supplyAsync(() -> {
                    try {
                        return call.call(() -> stub.applyResourceChange(request));
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                }, OWN_THREAD);
        assertThat(notes.blocked.await(HANG_GUARD_SECONDS, TimeUnit.SECONDS)).isTrue();

        call.cancel(null);

        assertThatThrownByFuture(apply).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.CANCELLED));
        // On the provider side the operation itself ended, not just the client's wait.
        CancelledException ended = notes.interruptions.poll(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
        assertThat(ended).as("the provider's operation was cancelled").isNotNull();
        assertThat(ended.proxmoxMessage()).contains("cancelled by Terraform");
    }

    static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertThatThrownByFuture(CompletableFuture<?> f)
            throws InterruptedException, java.util.concurrent.TimeoutException {
        try {
            f.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
            throw new AssertionError("expected the call to fail");
        } catch (ExecutionException e) {
            return assertThat(e.getCause());
        }
    }

    @Test
    void protocol5EchoesPreparedConfigAndReadsTemplates(PveSimulator pve) throws Exception {
        var stub = io.proxplane.terraform.proto.v5.ProviderGrpc.newBlockingStub(start(5));
        TfType providerType = new ProxplaneProvider(Map.of()).providerSchema().type();
        var config = Tfplugin5.DynamicValue.newBuilder().setMsgpack(ByteString.copyFrom(providerConfig(pve, providerType))).build();
        var prepared = stub.prepareProviderConfig(Tfplugin5.PrepareProviderConfig.Request.newBuilder().setConfig(config).build());
        assertThat(prepared.getDiagnosticsList()).isEmpty();
        assertThat(prepared.getPreparedConfig()).isEqualTo(config);
        assertThat(stub.configure(Tfplugin5.Configure.Request.newBuilder().setConfig(config).build()).getDiagnosticsList()).isEmpty();

        TfType type = new io.proxplane.terraform.provider.TemplatesDataSource(null).schema().type();
        var bad = stub.readDataSource(Tfplugin5.ReadDataSource.Request.newBuilder().setTypeName("proxplane_templates")
                .setConfig(Tfplugin5.DynamicValue.newBuilder().setMsgpack(ByteString.copyFrom(MsgpackCodec.encode(
                        TfValue.obj(Map.of("node", TfValue.of("alpha"), "storage", TfValue.of("nosuch"))), type)))).build());
        assertThat(bad.getDiagnosticsList()).singleElement()
                .satisfies(d -> assertThat(d.getAttribute().getSteps(0).getAttributeName()).isEqualTo("storage"));

        var read = stub.readDataSource(Tfplugin5.ReadDataSource.Request.newBuilder().setTypeName("proxplane_templates")
                .setConfig(Tfplugin5.DynamicValue.newBuilder().setMsgpack(ByteString.copyFrom(MsgpackCodec.encode(
                        TfValue.obj(Map.of("node", TfValue.of("alpha"))), type)))).build());
        assertThat(read.getDiagnosticsList()).isEmpty();
        TfValue.Obj state = (TfValue.Obj) MsgpackCodec.decode(read.getState().getMsgpack().toByteArray(), type);
        assertThat(state.get("volids")).isEqualTo(TfValue.seq(List.of(TfValue.of("local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"))));
    }

    @Test
    void unknownTypesAndUnconfiguredReadsAreDiagnosticsNotRpcErrors() throws Exception {
        var stub = ProviderGrpc.newBlockingStub(start(6));
        var r = stub.readDataSource(Tfplugin6.ReadDataSource.Request.newBuilder().setTypeName("proxplane_nodes")
                .setConfig(dv(new byte[] {(byte) 0xc0})).build());
        assertThat(r.getDiagnosticsList()).singleElement().satisfies(d -> assertThat(d.getSummary()).isEqualTo("Provider not configured"));
        var u = stub.validateResourceConfig(Tfplugin6.ValidateResourceConfig.Request.newBuilder().setTypeName("nope").build());
        assertThat(u.getDiagnosticsList()).singleElement().satisfies(d -> assertThat(d.getSummary()).isEqualTo("Unknown resource type"));
    }

    @Test
    void providerSettingsUnknownUntilApplyAreRefusedAtConfigureNamingTheAttribute() throws Exception {
        var stub = ProviderGrpc.newBlockingStub(start(6));
        TfType providerType = new ProxplaneProvider(Map.of()).providerSchema().type();
        byte[] config = MsgpackCodec.encode(TfValue.obj(Map.of(
                "endpoint", TfValue.UNKNOWN,
                "api_token", TfValue.of("a@pve!ci=secret"))), providerType);
        // Validation lets unknowns pass (they may become known later) ...
        assertThat(stub.validateProviderConfig(Tfplugin6.ValidateProviderConfig.Request.newBuilder().setConfig(dv(config)).build())
                .getDiagnosticsList()).isEmpty();
        // ... but the provider cannot talk to Proxmox without them.
        var configured = stub.configureProvider(Tfplugin6.ConfigureProvider.Request.newBuilder().setConfig(dv(config)).build());
        assertThat(configured.getDiagnosticsList()).singleElement().satisfies(d -> {
            assertThat(d.getSummary()).isEqualTo("Provider configuration not known yet");
            assertThat(d.getAttribute().getSteps(0).getAttributeName()).isEqualTo("endpoint");
        });
    }
}
