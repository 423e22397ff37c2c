package io.proxplane.terraform.plugin;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import io.proxplane.terraform.diag.AttributePath;
import io.proxplane.terraform.diag.Diagnostic;
import io.proxplane.terraform.diag.Diagnostics;
import io.proxplane.terraform.framework.DynamicValue;
import io.proxplane.terraform.framework.ProviderCore;
import io.proxplane.terraform.proto.v5.ProviderGrpc;
import io.proxplane.terraform.proto.v5.Tfplugin5;
import io.proxplane.terraform.schema.Attribute;
import io.proxplane.terraform.schema.Block;
import io.proxplane.terraform.schema.NestedBlock;
import io.proxplane.terraform.schema.Schema;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * tfplugin5.Provider: translates protocol-5 messages to {@link ProviderCore} calls and back.
 * Kept apart from the v6 adapter on purpose: the two protocols number some fields differently
 * (Schema.Attribute), so no proto builder is shared.
 */
public final class ProviderV5Service extends ProviderGrpc.ProviderImplBase {

    private final ProviderCore core;
    /** Built beside the server's start (it needs every resource's schema); the first RPCs join it. */
    private final CompletableFuture<Tfplugin5.GetProviderSchema.Response> schemaResponse;

    public ProviderV5Service(ProviderCore core) {
        this.core = core;
        // The schema never changes within a process: build it once.
        this.schemaResponse = StartupThreads.start("schema", () -> {
            ProviderCore.Schemas s = core.schemas();
            Tfplugin5.GetProviderSchema.Response.Builder b = Tfplugin5.GetProviderSchema.Response.newBuilder()
                    .setProvider(schema(s.provider()))
                    .setServerCapabilities(capabilities());
            s.resources().forEach((k, v) -> b.putResourceSchemas(k, schema(v)));
            s.dataSources().forEach((k, v) -> b.putDataSourceSchemas(k, schema(v)));
            return b.build();
        });
    }

    private static Tfplugin5.ServerCapabilities capabilities() {
        return Tfplugin5.ServerCapabilities.newBuilder().setPlanDestroy(true).setGetProviderSchemaOptional(true).build();
    }

    @Override
    public void getMetadata(Tfplugin5.GetMetadata.Request request, StreamObserver<Tfplugin5.GetMetadata.Response> out) {
        Tfplugin5.GetMetadata.Response.Builder b = Tfplugin5.GetMetadata.Response.newBuilder().setServerCapabilities(capabilities());
        schemaResponse.join().getDataSourceSchemasMap().keySet().forEach(n ->
                b.addDataSources(Tfplugin5.GetMetadata.DataSourceMetadata.newBuilder().setTypeName(n)));
        schemaResponse.join().getResourceSchemasMap().keySet().forEach(n ->
                b.addResources(Tfplugin5.GetMetadata.ResourceMetadata.newBuilder().setTypeName(n)));
        reply(out, b.build());
    }

    @Override
    public void getSchema(Tfplugin5.GetProviderSchema.Request request, StreamObserver<Tfplugin5.GetProviderSchema.Response> out) {
        reply(out, schemaResponse.join());
    }

    @Override
    public void getResourceIdentitySchemas(Tfplugin5.GetResourceIdentitySchemas.Request request,
                                           StreamObserver<Tfplugin5.GetResourceIdentitySchemas.Response> out) {
        // Terraform >= 1.12 asks in every process; no resource has an identity schema yet.
        reply(out, Tfplugin5.GetResourceIdentitySchemas.Response.getDefaultInstance());
    }

    @Override
    public void prepareProviderConfig(Tfplugin5.PrepareProviderConfig.Request request,
                                      StreamObserver<Tfplugin5.PrepareProviderConfig.Response> out) {
        Diagnostics d = core.validateProviderConfig(dv(request.getConfig()));
        // Newer cores use prepared_config: echo the configuration unchanged.
        reply(out, Tfplugin5.PrepareProviderConfig.Response.newBuilder()
                .setPreparedConfig(request.getConfig())
                .addAllDiagnostics(diagnostics(d)).build());
    }

    @Override
    public void configure(Tfplugin5.Configure.Request request, StreamObserver<Tfplugin5.Configure.Response> out) {
        Diagnostics d = core.configureProvider(request.getTerraformVersion(), dv(request.getConfig()));
        reply(out, Tfplugin5.Configure.Response.newBuilder().addAllDiagnostics(diagnostics(d)).build());
    }

    @Override
    public void validateDataSourceConfig(Tfplugin5.ValidateDataSourceConfig.Request request,
                                           StreamObserver<Tfplugin5.ValidateDataSourceConfig.Response> out) {
        Diagnostics d = core.validateDataSourceConfig(request.getTypeName(), dv(request.getConfig()));
        reply(out, Tfplugin5.ValidateDataSourceConfig.Response.newBuilder().addAllDiagnostics(diagnostics(d)).build());
    }

    @Override
    public void readDataSource(Tfplugin5.ReadDataSource.Request request, StreamObserver<Tfplugin5.ReadDataSource.Response> out) {
        ProviderCore.Result r = core.readDataSource(request.getTypeName(), dv(request.getConfig()));
        Tfplugin5.ReadDataSource.Response.Builder b = Tfplugin5.ReadDataSource.Response.newBuilder()
                .addAllDiagnostics(diagnostics(r.diagnostics()));
        if (r.value().length > 0) {
            b.setState(dv(r.value()));
        }
        reply(out, b.build());
    }

    @Override
    public void validateResourceTypeConfig(Tfplugin5.ValidateResourceTypeConfig.Request request,
                                       StreamObserver<Tfplugin5.ValidateResourceTypeConfig.Response> out) {
        Diagnostics d = core.validateResourceConfig(request.getTypeName(), dv(request.getConfig()),
                request.getClientCapabilities().getWriteOnlyAttributesAllowed());
        reply(out, Tfplugin5.ValidateResourceTypeConfig.Response.newBuilder().addAllDiagnostics(diagnostics(d)).build());
    }

    @Override
    public void upgradeResourceState(Tfplugin5.UpgradeResourceState.Request request,
                                     StreamObserver<Tfplugin5.UpgradeResourceState.Response> out) {
        ProviderCore.Result r = core.upgradeResourceState(request.getTypeName(), request.getVersion(),
                request.getRawState().getJson().toByteArray(), request.getRawState().getFlatmapMap());
        Tfplugin5.UpgradeResourceState.Response.Builder b = Tfplugin5.UpgradeResourceState.Response.newBuilder()
                .addAllDiagnostics(diagnostics(r.diagnostics()));
        if (r.value().length > 0) {
            b.setUpgradedState(dv(r.value()));
        }
        reply(out, b.build());
    }

    @Override
    public void readResource(Tfplugin5.ReadResource.Request request, StreamObserver<Tfplugin5.ReadResource.Response> out) {
        ProviderCore.StateResult r = core.readResource(request.getTypeName(), dv(request.getCurrentState()),
                request.getPrivate().toByteArray());
        Tfplugin5.ReadResource.Response.Builder b = Tfplugin5.ReadResource.Response.newBuilder()
                .addAllDiagnostics(diagnostics(r.diagnostics()))
                .setPrivate(bytes(r.privateState()));
        if (r.state().length > 0) {
            b.setNewState(dv(r.state()));
        }
        reply(out, b.build());
    }

    @Override
    public void planResourceChange(Tfplugin5.PlanResourceChange.Request request,
                                   StreamObserver<Tfplugin5.PlanResourceChange.Response> out) {
        ProviderCore.PlanResult r = core.planResourceChange(request.getTypeName(), dv(request.getPriorState()),
                dv(request.getProposedNewState()), dv(request.getConfig()), request.getPriorPrivate().toByteArray());
        Tfplugin5.PlanResourceChange.Response.Builder b = Tfplugin5.PlanResourceChange.Response.newBuilder()
                .addAllDiagnostics(diagnostics(r.diagnostics()))
                .setPlannedPrivate(bytes(r.plannedPrivate()));
        if (r.plannedState().length > 0) {
            b.setPlannedState(dv(r.plannedState()));
        }
        r.requiresReplace().forEach(p -> b.addRequiresReplace(path(p)));
        reply(out, b.build());
    }

    @Override
    public void applyResourceChange(Tfplugin5.ApplyResourceChange.Request request,
                                    StreamObserver<Tfplugin5.ApplyResourceChange.Response> out) {
        ProviderCore.StateResult r = core.applyResourceChange(request.getTypeName(), dv(request.getPriorState()),
                dv(request.getPlannedState()), dv(request.getConfig()), request.getPlannedPrivate().toByteArray());
        Tfplugin5.ApplyResourceChange.Response.Builder b = Tfplugin5.ApplyResourceChange.Response.newBuilder()
                .addAllDiagnostics(diagnostics(r.diagnostics()))
                .setPrivate(bytes(r.privateState()));
        if (r.state().length > 0) {
            b.setNewState(dv(r.state()));
        }
        reply(out, b.build());
    }

    @Override
    public void importResourceState(Tfplugin5.ImportResourceState.Request request,
                                    StreamObserver<Tfplugin5.ImportResourceState.Response> out) {
        ProviderCore.ImportResult r = core.importResourceState(request.getTypeName(), request.getId());
        Tfplugin5.ImportResourceState.Response.Builder b = Tfplugin5.ImportResourceState.Response.newBuilder()
                .addAllDiagnostics(diagnostics(r.diagnostics()));
        r.resources().forEach(i -> b.addImportedResources(Tfplugin5.ImportResourceState.ImportedResource.newBuilder()
                .setTypeName(i.typeName()).setState(dv(i.state()))
                .setPrivate(com.google.protobuf.ByteString.copyFrom(i.privateState() == null ? new byte[0] : i.privateState()))));
        reply(out, b.build());
    }

    @Override
    public void stop(Tfplugin5.Stop.Request request, StreamObserver<Tfplugin5.Stop.Response> out) {
        reply(out, Tfplugin5.Stop.Response.newBuilder().setError(core.stop()).build());
    }

    // --- translation -------------------------------------------------------------------------

    private static <T> void reply(StreamObserver<T> out, T message) {
        out.onNext(message);
        out.onCompleted();
    }

    private static DynamicValue dv(Tfplugin5.DynamicValue v) {
        return new DynamicValue(v.getMsgpack().toByteArray(), v.getJson().toByteArray());
    }

    private static Tfplugin5.DynamicValue dv(byte[] msgpack) {
        return Tfplugin5.DynamicValue.newBuilder().setMsgpack(ByteString.copyFrom(msgpack)).build();
    }

    private static ByteString bytes(byte[] b) {
        return b == null ? ByteString.EMPTY : ByteString.copyFrom(b);
    }

    static List<Tfplugin5.Diagnostic> diagnostics(Diagnostics d) {
        return d.all().stream().map(ProviderV5Service::diagnostic).toList();
    }

    private static Tfplugin5.Diagnostic diagnostic(Diagnostic d) {
        Tfplugin5.Diagnostic.Builder b = Tfplugin5.Diagnostic.newBuilder()
                .setSeverity(d.isError() ? Tfplugin5.Diagnostic.Severity.ERROR : Tfplugin5.Diagnostic.Severity.WARNING)
                .setSummary(d.summary())
                .setDetail(d.detail());
        if (d.path() != null && !d.path().steps().isEmpty()) {
            b.setAttribute(path(d.path()));
        }
        return b.build();
    }

    private static Tfplugin5.AttributePath path(AttributePath p) {
        Tfplugin5.AttributePath.Builder b = Tfplugin5.AttributePath.newBuilder();
        for (AttributePath.Step s : p.steps()) {
            Tfplugin5.AttributePath.Step.Builder step = Tfplugin5.AttributePath.Step.newBuilder();
            switch (s) {
                case AttributePath.AttributeName a -> step.setAttributeName(a.name());
                case AttributePath.ElementKeyString k -> step.setElementKeyString(k.key());
                case AttributePath.ElementKeyInt i -> step.setElementKeyInt(i.index());
            }
            b.addSteps(step);
        }
        return b.build();
    }

    static Tfplugin5.Schema schema(Schema s) {
        return Tfplugin5.Schema.newBuilder().setVersion(s.version()).setBlock(block(s.block())).build();
    }

    private static Tfplugin5.Schema.Block block(Block block) {
        Tfplugin5.Schema.Block.Builder b = Tfplugin5.Schema.Block.newBuilder()
                .setDescription(block.description())
                .setDescriptionKind(Tfplugin5.StringKind.PLAIN);
        for (Attribute a : block.attributes()) {
            b.addAttributes(Tfplugin5.Schema.Attribute.newBuilder()
                    .setName(a.name())
                    .setType(ByteString.copyFrom(a.type().json(), StandardCharsets.UTF_8))
                    .setDescription(a.description())
                    .setDescriptionKind(Tfplugin5.StringKind.PLAIN)
                    .setRequired(a.mode().required())
                    .setOptional(a.mode().optional())
                    .setComputed(a.mode().computed())
                    .setSensitive(a.sensitive())
                    .setWriteOnly(a.writeOnly()));
        }
        for (NestedBlock nb : block.blockTypes()) {
            b.addBlockTypes(Tfplugin5.Schema.NestedBlock.newBuilder()
                    .setTypeName(nb.typeName())
                    .setBlock(block(nb.block()))
                    .setNesting(Tfplugin5.Schema.NestedBlock.NestingMode.valueOf(nb.nesting().name()))
                    .setMinItems(nb.minItems())
                    .setMaxItems(nb.maxItems()));
        }
        return b.build();
    }
}
