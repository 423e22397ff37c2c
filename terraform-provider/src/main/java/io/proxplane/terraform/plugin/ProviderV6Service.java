package io.proxplane.terraform.plugin;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import io.proxplane.terraform.diag.AttributePath;
import io.proxplane.terraform.diag.Diagnostic;
import io.proxplane.terraform.diag.Diagnostics;
import io.proxplane.terraform.framework.DynamicValue;
import io.proxplane.terraform.framework.ProviderCore;
import io.proxplane.terraform.proto.v6.ProviderGrpc;
import io.proxplane.terraform.proto.v6.Tfplugin6;
import io.proxplane.terraform.schema.Attribute;
import io.proxplane.terraform.schema.Block;
import io.proxplane.terraform.schema.NestedBlock;
import io.proxplane.terraform.schema.Schema;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * tfplugin6.Provider: translates protocol-6 messages to {@link ProviderCore} calls and back.
 * Kept apart from the v5 adapter on purpose: the two protocols number some fields differently
 * (Schema.Attribute), so no proto builder is shared.
 */
public final class ProviderV6Service extends ProviderGrpc.ProviderImplBase {

    private final ProviderCore core;
    /** Built beside the server's start (it needs every resource's schema); the first RPCs join it. */
    private final CompletableFuture<Tfplugin6.GetProviderSchema.Response> schemaResponse;

    public ProviderV6Service(ProviderCore core) {
        this.core = core;
        // The schema never changes within a process: build it once.
        this.schemaResponse = StartupThreads.start("schema", () -> {
            ProviderCore.Schemas s = core.schemas();
            Tfplugin6.GetProviderSchema.Response.Builder b = Tfplugin6.GetProviderSchema.Response.newBuilder()
                    .setProvider(schema(s.provider()))
                    .setServerCapabilities(capabilities());
            s.resources().forEach((k, v) -> b.putResourceSchemas(k, schema(v)));
            s.dataSources().forEach((k, v) -> b.putDataSourceSchemas(k, schema(v)));
            return b.build();
        });
    }

    private static Tfplugin6.ServerCapabilities capabilities() {
        return Tfplugin6.ServerCapabilities.newBuilder().setPlanDestroy(true).setGetProviderSchemaOptional(true).build();
    }

    @Override
    public void getMetadata(Tfplugin6.GetMetadata.Request request, StreamObserver<Tfplugin6.GetMetadata.Response> out) {
        Tfplugin6.GetMetadata.Response.Builder b = Tfplugin6.GetMetadata.Response.newBuilder().setServerCapabilities(capabilities());
        schemaResponse.join().getDataSourceSchemasMap().keySet().forEach(n ->
                b.addDataSources(Tfplugin6.GetMetadata.DataSourceMetadata.newBuilder().setTypeName(n)));
        schemaResponse.join().getResourceSchemasMap().keySet().forEach(n ->
                b.addResources(Tfplugin6.GetMetadata.ResourceMetadata.newBuilder().setTypeName(n)));
        reply(out, b.build());
    }

    @Override
    public void getProviderSchema(Tfplugin6.GetProviderSchema.Request request, StreamObserver<Tfplugin6.GetProviderSchema.Response> out) {
        reply(out, schemaResponse.join());
    }

    @Override
    public void getResourceIdentitySchemas(Tfplugin6.GetResourceIdentitySchemas.Request request,
                                           StreamObserver<Tfplugin6.GetResourceIdentitySchemas.Response> out) {
        // Terraform >= 1.12 asks in every process; no resource has an identity schema yet.
        reply(out, Tfplugin6.GetResourceIdentitySchemas.Response.getDefaultInstance());
    }

    @Override
    public void validateProviderConfig(Tfplugin6.ValidateProviderConfig.Request request,
                                       StreamObserver<Tfplugin6.ValidateProviderConfig.Response> out) {
        Diagnostics d = core.validateProviderConfig(dv(request.getConfig()));
        reply(out, Tfplugin6.ValidateProviderConfig.Response.newBuilder().addAllDiagnostics(diagnostics(d)).build());
    }

    @Override
    public void configureProvider(Tfplugin6.ConfigureProvider.Request request, StreamObserver<Tfplugin6.ConfigureProvider.Response> out) {
        Diagnostics d = core.configureProvider(request.getTerraformVersion(), dv(request.getConfig()));
        reply(out, Tfplugin6.ConfigureProvider.Response.newBuilder().addAllDiagnostics(diagnostics(d)).build());
    }

    @Override
    public void validateDataResourceConfig(Tfplugin6.ValidateDataResourceConfig.Request request,
                                           StreamObserver<Tfplugin6.ValidateDataResourceConfig.Response> out) {
        Diagnostics d = core.validateDataSourceConfig(request.getTypeName(), dv(request.getConfig()));
        reply(out, Tfplugin6.ValidateDataResourceConfig.Response.newBuilder().addAllDiagnostics(diagnostics(d)).build());
    }

    @Override
    public void readDataSource(Tfplugin6.ReadDataSource.Request request, StreamObserver<Tfplugin6.ReadDataSource.Response> out) {
        ProviderCore.Result r = core.readDataSource(request.getTypeName(), dv(request.getConfig()));
        Tfplugin6.ReadDataSource.Response.Builder b = Tfplugin6.ReadDataSource.Response.newBuilder()
                .addAllDiagnostics(diagnostics(r.diagnostics()));
        if (r.value().length > 0) {
            b.setState(dv(r.value()));
        }
        reply(out, b.build());
    }

    @Override
    public void validateResourceConfig(Tfplugin6.ValidateResourceConfig.Request request,
                                       StreamObserver<Tfplugin6.ValidateResourceConfig.Response> out) {
        Diagnostics d = core.validateResourceConfig(request.getTypeName(), dv(request.getConfig()),
                request.getClientCapabilities().getWriteOnlyAttributesAllowed());
        reply(out, Tfplugin6.ValidateResourceConfig.Response.newBuilder().addAllDiagnostics(diagnostics(d)).build());
    }

    @Override
    public void upgradeResourceState(Tfplugin6.UpgradeResourceState.Request request,
                                     StreamObserver<Tfplugin6.UpgradeResourceState.Response> out) {
        ProviderCore.Result r = core.upgradeResourceState(request.getTypeName(), request.getVersion(),
                request.getRawState().getJson().toByteArray(), request.getRawState().getFlatmapMap());
        Tfplugin6.UpgradeResourceState.Response.Builder b = Tfplugin6.UpgradeResourceState.Response.newBuilder()
                .addAllDiagnostics(diagnostics(r.diagnostics()));
        if (r.value().length > 0) {
            b.setUpgradedState(dv(r.value()));
        }
        reply(out, b.build());
    }

    @Override
    public void readResource(Tfplugin6.ReadResource.Request request, StreamObserver<Tfplugin6.ReadResource.Response> out) {
        ProviderCore.StateResult r = core.readResource(request.getTypeName(), dv(request.getCurrentState()),
                request.getPrivate().toByteArray());
        Tfplugin6.ReadResource.Response.Builder b = Tfplugin6.ReadResource.Response.newBuilder()
                .addAllDiagnostics(diagnostics(r.diagnostics()))
                .setPrivate(bytes(r.privateState()));
        if (r.state().length > 0) {
            b.setNewState(dv(r.state()));
        }
        reply(out, b.build());
    }

    @Override
    public void planResourceChange(Tfplugin6.PlanResourceChange.Request request,
                                   StreamObserver<Tfplugin6.PlanResourceChange.Response> out) {
        ProviderCore.PlanResult r = core.planResourceChange(request.getTypeName(), dv(request.getPriorState()),
                dv(request.getProposedNewState()), dv(request.getConfig()), request.getPriorPrivate().toByteArray());
        Tfplugin6.PlanResourceChange.Response.Builder b = Tfplugin6.PlanResourceChange.Response.newBuilder()
                .addAllDiagnostics(diagnostics(r.diagnostics()))
                .setPlannedPrivate(bytes(r.plannedPrivate()));
        if (r.plannedState().length > 0) {
            b.setPlannedState(dv(r.plannedState()));
        }
        r.requiresReplace().forEach(p -> b.addRequiresReplace(path(p)));
        reply(out, b.build());
    }

    @Override
    public void applyResourceChange(Tfplugin6.ApplyResourceChange.Request request,
                                    StreamObserver<Tfplugin6.ApplyResourceChange.Response> out) {
        ProviderCore.StateResult r = core.applyResourceChange(request.getTypeName(), dv(request.getPriorState()),
                dv(request.getPlannedState()), dv(request.getConfig()), request.getPlannedPrivate().toByteArray());
        Tfplugin6.ApplyResourceChange.Response.Builder b = Tfplugin6.ApplyResourceChange.Response.newBuilder()
                .addAllDiagnostics(diagnostics(r.diagnostics()))
                .setPrivate(bytes(r.privateState()));
        if (r.state().length > 0) {
            b.setNewState(dv(r.state()));
        }
        reply(out, b.build());
    }

    @Override
    public void importResourceState(Tfplugin6.ImportResourceState.Request request,
                                    StreamObserver<Tfplugin6.ImportResourceState.Response> out) {
        ProviderCore.ImportResult r = core.importResourceState(request.getTypeName(), request.getId());
        Tfplugin6.ImportResourceState.Response.Builder b = Tfplugin6.ImportResourceState.Response.newBuilder()
                .addAllDiagnostics(diagnostics(r.diagnostics()));
        r.resources().forEach(i -> b.addImportedResources(Tfplugin6.ImportResourceState.ImportedResource.newBuilder()
                .setTypeName(i.typeName()).setState(dv(i.state()))
                .setPrivate(com.google.protobuf.ByteString.copyFrom(i.privateState() == null ? new byte[0] : i.privateState()))));
        reply(out, b.build());
    }

    @Override
    public void stopProvider(Tfplugin6.StopProvider.Request request, StreamObserver<Tfplugin6.StopProvider.Response> out) {
        reply(out, Tfplugin6.StopProvider.Response.newBuilder().setError(core.stop()).build());
    }

    // --- translation -------------------------------------------------------------------------

    private static <T> void reply(StreamObserver<T> out, T message) {
        out.onNext(message);
        out.onCompleted();
    }

    private static DynamicValue dv(Tfplugin6.DynamicValue v) {
        return new DynamicValue(v.getMsgpack().toByteArray(), v.getJson().toByteArray());
    }

    private static Tfplugin6.DynamicValue dv(byte[] msgpack) {
        return Tfplugin6.DynamicValue.newBuilder().setMsgpack(ByteString.copyFrom(msgpack)).build();
    }

    private static ByteString bytes(byte[] b) {
        return b == null ? ByteString.EMPTY : ByteString.copyFrom(b);
    }

    static List<Tfplugin6.Diagnostic> diagnostics(Diagnostics d) {
        return d.all().stream().map(ProviderV6Service::diagnostic).toList();
    }

    private static Tfplugin6.Diagnostic diagnostic(Diagnostic d) {
        Tfplugin6.Diagnostic.Builder b = Tfplugin6.Diagnostic.newBuilder()
                .setSeverity(d.isError() ? Tfplugin6.Diagnostic.Severity.ERROR : Tfplugin6.Diagnostic.Severity.WARNING)
                .setSummary(d.summary())
                .setDetail(d.detail());
        if (d.path() != null && !d.path().steps().isEmpty()) {
            b.setAttribute(path(d.path()));
        }
        return b.build();
    }

    private static Tfplugin6.AttributePath path(AttributePath p) {
        Tfplugin6.AttributePath.Builder b = Tfplugin6.AttributePath.newBuilder();
        for (AttributePath.Step s : p.steps()) {
            Tfplugin6.AttributePath.Step.Builder step = Tfplugin6.AttributePath.Step.newBuilder();
            switch (s) {
                case AttributePath.AttributeName a -> step.setAttributeName(a.name());
                case AttributePath.ElementKeyString k -> step.setElementKeyString(k.key());
                case AttributePath.ElementKeyInt i -> step.setElementKeyInt(i.index());
            }
            b.addSteps(step);
        }
        return b.build();
    }

    static Tfplugin6.Schema schema(Schema s) {
        return Tfplugin6.Schema.newBuilder().setVersion(s.version()).setBlock(block(s.block())).build();
    }

    private static Tfplugin6.Schema.Block block(Block block) {
        Tfplugin6.Schema.Block.Builder b = Tfplugin6.Schema.Block.newBuilder()
                .setDescription(block.description())
                .setDescriptionKind(Tfplugin6.StringKind.PLAIN);
        for (Attribute a : block.attributes()) {
            b.addAttributes(Tfplugin6.Schema.Attribute.newBuilder()
                    .setName(a.name())
                    .setType(ByteString.copyFrom(a.type().json(), StandardCharsets.UTF_8))
                    .setDescription(a.description())
                    .setDescriptionKind(Tfplugin6.StringKind.PLAIN)
                    .setRequired(a.mode().required())
                    .setOptional(a.mode().optional())
                    .setComputed(a.mode().computed())
                    .setSensitive(a.sensitive())
                    .setWriteOnly(a.writeOnly()));
        }
        for (NestedBlock nb : block.blockTypes()) {
            b.addBlockTypes(Tfplugin6.Schema.NestedBlock.newBuilder()
                    .setTypeName(nb.typeName())
                    .setBlock(block(nb.block()))
                    .setNesting(Tfplugin6.Schema.NestedBlock.NestingMode.valueOf(nb.nesting().name()))
                    .setMinItems(nb.minItems())
                    .setMaxItems(nb.maxItems()));
        }
        return b.build();
    }
}
