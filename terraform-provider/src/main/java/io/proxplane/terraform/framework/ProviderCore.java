package io.proxplane.terraform.framework;

import io.proxplane.core.proxmox.InFlight;
import io.proxplane.terraform.diag.AttributePath;
import io.proxplane.terraform.diag.Diagnostics;
import io.proxplane.terraform.schema.Attribute;
import io.proxplane.terraform.schema.Schema;
import io.proxplane.terraform.value.JsonCodec;
import io.proxplane.terraform.value.MsgpackCodec;
import io.proxplane.terraform.value.TfType;
import io.proxplane.terraform.value.TfValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider in protocol-neutral terms. The v5 and v6 gRPC adapters translate messages and call
 * in here, so both protocol versions share one implementation. Every failure comes back as a
 * diagnostic (a raw gRPC error would reach the user as "rpc error: code = ..."). Thread-safe:
 * Terraform calls concurrently.
 */
public final class ProviderCore {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderCore.class);

    /** What an operation interrupted by StopProvider fails with (the engine adds what happens next). */
    public static final String STOP_REASON = "interrupted by Terraform (StopProvider)";

    private final ProviderImplementation impl;
    private final Map<String, DataSource> dataSources;
    private final Map<String, Resource> resources;
    private volatile boolean configured;
    /** Every RPC in progress, each under its own cancellation token, so StopProvider can end them. */
    private final InFlight inFlight = new InFlight();

    public ProviderCore(ProviderImplementation impl) {
        this.impl = impl;
        this.dataSources = impl.dataSources().stream()
                .collect(Collectors.toMap(DataSource::typeName, Function.identity(), (a, b) -> {
                    throw new IllegalArgumentException("duplicate data source " + a.typeName());
                }, LinkedHashMap::new));
        this.resources = impl.resources().stream()
                .collect(Collectors.toMap(Resource::typeName, Function.identity(), (a, b) -> {
                    throw new IllegalArgumentException("duplicate resource " + a.typeName());
                }, LinkedHashMap::new));
    }

    public record Schemas(Schema provider, Map<String, Schema> resources, Map<String, Schema> dataSources) {
    }

    public Schemas schemas() {
        Map<String, Schema> rs = new LinkedHashMap<>();
        resources.forEach((k, v) -> rs.put(k, v.schema()));
        Map<String, Schema> ds = new LinkedHashMap<>();
        dataSources.forEach((k, v) -> ds.put(k, v.schema()));
        return new Schemas(impl.providerSchema(), rs, ds);
    }

    /** A result value (msgpack bytes, may be empty) with its diagnostics. */
    public record Result(byte[] value, Diagnostics diagnostics) {
    }

    public record PlanResult(byte[] plannedState, List<AttributePath> requiresReplace, byte[] plannedPrivate,
                             Diagnostics diagnostics) {
    }

    public record StateResult(byte[] state, byte[] privateState, Diagnostics diagnostics) {
    }

    public record Imported(String typeName, byte[] state, byte[] privateState) {
    }

    public record ImportResult(List<Imported> resources, Diagnostics diagnostics) {
    }

    public Diagnostics validateProviderConfig(DynamicValue config) {
        Diagnostics d = new Diagnostics();
        guard(d, "validating the provider configuration", () -> {
            TfValue.Obj c = decodeObject(config, impl.providerSchema().type(), d, "provider configuration");
            if (c != null) {
                impl.validateConfig(c, d);
            }
        });
        return d;
    }

    public Diagnostics configureProvider(String terraformVersion, DynamicValue config) {
        Diagnostics d = new Diagnostics();
        guard(d, "configuring the provider", () -> {
            TfValue.Obj c = decodeObject(config, impl.providerSchema().type(), d, "provider configuration");
            if (c == null) {
                return;
            }
            for (Attribute a : impl.providerSchema().block().attributes()) {
                if (!c.get(a.name()).isWhollyKnown()) {
                    d.error(AttributePath.of(a.name()), "Provider configuration not known yet",
                            a.name() + " depends on a value known only after apply; the provider needs it to talk to Proxmox.");
                }
            }
            impl.validateConfig(c, d);
            if (!d.hasErrors()) {
                impl.configure(c, terraformVersion, d);
                configured = !d.hasErrors();
            }
        });
        return d;
    }

    public Diagnostics validateDataSourceConfig(String typeName, DynamicValue config) {
        Diagnostics d = new Diagnostics();
        DataSource ds = dataSource(typeName, d);
        if (ds != null) {
            guard(d, "validating " + typeName, () -> {
                TfValue.Obj c = decodeObject(config, ds.schema().type(), d, typeName);
                if (c != null) {
                    ds.validate(c, d);
                }
            });
        }
        return d;
    }

    public Result readDataSource(String typeName, DynamicValue config) {
        Diagnostics d = new Diagnostics();
        DataSource ds = dataSource(typeName, d);
        byte[][] out = {new byte[0]};
        if (ds != null && requireConfigured(d)) {
            guard(d, "reading " + typeName, () -> {
                TfValue.Obj c = decodeObject(config, ds.schema().type(), d, typeName);
                if (c == null) {
                    return;
                }
                ds.validate(c, d);
                if (d.hasErrors()) {
                    return;
                }
                TfValue.Obj state = ds.read(c, d);
                if (d.hasErrors()) {
                    return;
                }
                if (!state.isWhollyKnown()) {
                    d.error("Provider bug: " + typeName + " returned unknown values", "Data source results must be wholly known.");
                    return;
                }
                out[0] = MsgpackCodec.encode(state, ds.schema().type());
            });
        }
        return new Result(out[0], d);
    }

    public Diagnostics validateResourceConfig(String typeName, DynamicValue config) {
        return validateResourceConfig(typeName, config, true);
    }

    /**
     * @param writeOnlyAllowed the client announced write-only attributes (Terraform 1.11+); an older
     *                         client would store their values in plan and state, so setting one is refused
     */
    public Diagnostics validateResourceConfig(String typeName, DynamicValue config, boolean writeOnlyAllowed) {
        Diagnostics d = new Diagnostics();
        Resource r = resource(typeName, d);
        if (r != null) {
            guard(d, "validating " + typeName, () -> {
                TfValue.Obj c = decodeObject(config, r.schema().type(), d, typeName);
                if (c != null) {
                    if (!writeOnlyAllowed) {
                        for (Attribute a : r.schema().block().attributes()) {
                            if (a.writeOnly() && !c.get(a.name()).isNull()) {
                                AttributePath p = AttributePath.of(a.name());
                                d.error(p, "Write-only attribute not supported", a.name() + " is write-only: its value is never"
                                        + " stored, which needs Terraform 1.11 or later; this client would keep it in plan and state.");
                            }
                        }
                    }
                    r.validate(c, d);
                }
            });
        }
        return d;
    }

    /** Decodes the stored JSON against the current type (dropping attributes it no longer has). */
    public Result upgradeResourceState(String typeName, long version, byte[] rawJson, Map<String, String> flatmap) {
        Diagnostics d = new Diagnostics();
        Resource r = resource(typeName, d);
        byte[][] out = {new byte[0]};
        if (r != null) {
            guard(d, "upgrading the state of " + typeName, () -> {
                if ((rawJson == null || rawJson.length == 0) && flatmap != null && !flatmap.isEmpty()) {
                    d.error("Unsupported state format", typeName + " state is in the pre-0.12 flatmap format, which this provider never wrote.");
                    return;
                }
                TfValue v = JsonCodec.decode(rawJson, r.schema().type());
                if (v.isNull()) {
                    out[0] = MsgpackCodec.encode(TfValue.NULL, r.schema().type());
                    return;
                }
                TfValue.Obj upgraded = r.upgrade(version, (TfValue.Obj) v, d);
                if (!d.hasErrors()) {
                    out[0] = MsgpackCodec.encode(upgraded, r.schema().type());
                }
            });
        }
        return new Result(out[0], d);
    }

    public StateResult readResource(String typeName, DynamicValue current, byte[] privateState) {
        Diagnostics d = new Diagnostics();
        Resource r = resource(typeName, d);
        StateResult[] out = {new StateResult(new byte[0], privateState, d)};
        if (r != null && requireConfigured(d)) {
            TfType type = r.schema().type();
            guard(d, "reading " + typeName, () -> {
                TfValue cur = decode(current, type);
                if (cur.isNull()) {
                    out[0] = new StateResult(MsgpackCodec.encode(TfValue.NULL, type), privateState, d);
                    return;
                }
                Resource.Read read = r.read((TfValue.Obj) cur, privateState, d);
                if (d.hasErrors()) {
                    return;
                }
                if (!read.newState().isWhollyKnown()) {
                    d.error("Provider bug: " + typeName + " read returned unknown values", "Refreshed state must be wholly known.");
                    return;
                }
                out[0] = new StateResult(MsgpackCodec.encode(read.newState(), type), read.privateState(), d);
            });
        }
        return out[0];
    }

    public PlanResult planResourceChange(String typeName, DynamicValue prior, DynamicValue proposed, DynamicValue config,
                                         byte[] priorPrivate) {
        Diagnostics d = new Diagnostics();
        Resource r = resource(typeName, d);
        PlanResult[] out = {new PlanResult(new byte[0], List.of(), priorPrivate, d)};
        if (r != null) {
            TfType type = r.schema().type();
            guard(d, "planning " + typeName, () -> {
                Resource.PlanRequest req = new Resource.PlanRequest(decode(prior, type), decode(proposed, type),
                        decode(config, type), priorPrivate);
                if (!req.config().isNull()) {
                    r.validate((TfValue.Obj) req.config(), d);
                    if (d.hasErrors()) {
                        return;
                    }
                }
                Resource.Plan plan = r.plan(req, d);
                if (!d.hasErrors()) {
                    out[0] = new PlanResult(MsgpackCodec.encode(plan.plannedState(), type), plan.requiresReplace(),
                            plan.plannedPrivate(), d);
                }
            });
        }
        return out[0];
    }

    public StateResult applyResourceChange(String typeName, DynamicValue prior, DynamicValue planned, DynamicValue config,
                                           byte[] plannedPrivate) {
        Diagnostics d = new Diagnostics();
        Resource r = resource(typeName, d);
        StateResult[] out = {new StateResult(new byte[0], plannedPrivate, d)};
        if (r != null && requireConfigured(d)) {
            TfType type = r.schema().type();
            guard(d, "applying " + typeName, () -> {
                Resource.ApplyRequest req = new Resource.ApplyRequest(decode(prior, type), decode(planned, type),
                        decode(config, type), plannedPrivate);
                Resource.Applied applied = r.apply(req, d);
                if (applied == null) {
                    return;
                }
                if (d.hasErrors()) {
                    // a failed create that did part of its work: Terraform records the object as tainted
                    if (req.isCreate() && !applied.newState().isNull() && applied.newState().isWhollyKnown()) {
                        out[0] = new StateResult(MsgpackCodec.encode(applied.newState(), type), applied.privateState(), d);
                    }
                    return;
                }
                if (!applied.newState().isWhollyKnown()) {
                    d.error("Provider bug: " + typeName + " apply left unknown values", "The new state must be wholly known.");
                    return;
                }
                if (req.isDelete() != applied.newState().isNull()) {
                    d.error("Provider bug: " + typeName + (req.isDelete() ? " returned an object after delete" : " returned null after create/update"),
                            "Terraform requires a null state exactly when the resource was deleted.");
                    return;
                }
                Consistency.checkApplied(typeName, req.plannedState(), applied.newState(), type, d);
                if (d.hasErrors()) {
                    return;
                }
                out[0] = new StateResult(MsgpackCodec.encode(applied.newState(), type), applied.privateState(), d);
            });
        }
        return out[0];
    }

    public ImportResult importResourceState(String typeName, String id) {
        Diagnostics d = new Diagnostics();
        Resource r = resource(typeName, d);
        List<Imported> imported = new ArrayList<>();
        if (r != null && requireConfigured(d)) {
            guard(d, "importing " + typeName, () -> {
                for (TfValue.Obj state : r.importState(id, d)) {
                    imported.add(new Imported(typeName, MsgpackCodec.encode(state, r.schema().type()), r.importPrivate()));
                }
            });
        }
        return new ImportResult(imported, d);
    }

    /**
     * StopProvider (Terraform's answer to Ctrl-C): cancels every RPC in progress — their waits on
     * Proxmox end at once and they return an error diagnostic — then lets the implementation stop
     * its own work. Returns the error text for the reply (empty when fine). RPCs that arrive later
     * run normally (each has its own token), though Terraform sends none but Shutdown.
     */
    public String stop() {
        int cancelled = inFlight.cancelAll(STOP_REASON);
        LOG.info("StopProvider: cancelled {} operation(s) in progress", cancelled);
        try {
            impl.stop();
            return "";
        } catch (RuntimeException e) {
            return String.valueOf(e.getMessage());
        }
    }

    private boolean requireConfigured(Diagnostics d) {
        if (!configured) {
            d.error("Provider not configured", "Terraform did not call ConfigureProvider successfully before this operation.");
        }
        return configured;
    }

    private DataSource dataSource(String typeName, Diagnostics d) {
        DataSource ds = dataSources.get(typeName);
        if (ds == null) {
            d.error("Unknown data source", "This provider has no data source '" + typeName + "'.");
        }
        return ds;
    }

    private Resource resource(String typeName, Diagnostics d) {
        Resource r = resources.get(typeName);
        if (r == null) {
            d.error("Unknown resource type", "This provider has no resource type '" + typeName + "'.");
        }
        return r;
    }

    private static TfValue decode(DynamicValue v, TfType type) {
        if (v == null) {
            return TfValue.NULL;
        }
        if (v.msgpack().length > 0) {
            return MsgpackCodec.decode(v.msgpack(), type);
        }
        return JsonCodec.decode(v.json(), type);
    }

    private static TfValue.Obj decodeObject(DynamicValue v, TfType type, Diagnostics d, String what) {
        TfValue value = decode(v, type);
        if (value instanceof TfValue.Obj o) {
            return o;
        }
        if (value.isNull()) {
            // An absent provider block arrives as null: treat as all attributes null.
            return new TfValue.Obj(Map.of());
        }
        d.error("Invalid " + what, "Expected an object, got an unknown value.");
        return null;
    }

    /**
     * Runs an RPC's body as one cancellable operation (joining the token the gRPC layer bound for
     * the request, so a request Terraform abandons is cancelled too) and turns any failure into a
     * diagnostic.
     */
    private void guard(Diagnostics d, String what, Runnable body) {
        try (InFlight.Operation op = inFlight.enter()) {
            body.run();
        } catch (RuntimeException e) {
            LOG.error("Failed {}", what, e);
            d.error("Error " + what, String.valueOf(e.getMessage()));
        }
    }
}
