package io.proxplane.terraform.resources;

import io.proxplane.core.engine.EngineErrors;
import io.proxplane.core.engine.EngineException;
import io.proxplane.core.engine.EngineException.Kind;
import io.proxplane.core.registry.ClaimConflictException;
import io.proxplane.terraform.diag.AttributePath;
import io.proxplane.terraform.diag.Diagnostic;
import io.proxplane.terraform.diag.Diagnostic.Severity;
import io.proxplane.terraform.diag.Diagnostics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The provider's one table from the engine's error kinds to diagnostics. Whatever core throws goes
 * through core's translation ({@link EngineErrors#translate}) first; a refused value
 * ({@code INVALID_SPEC} with a field) is put on its attribute through the resource's
 * {@link SpecPaths}, the same way a refusal at plan time is.
 */
final class EngineDiagnostics {
    private static final Logger LOG = LoggerFactory.getLogger(EngineDiagnostics.class);

    record Row(Severity severity, String summary) {}

    static final Map<Kind, Row> BY_KIND = new EnumMap<>(Map.ofEntries(
            Map.entry(Kind.INVALID_SPEC, new Row(Severity.ERROR, "invalid value")),
            Map.entry(Kind.NOT_FOUND, new Row(Severity.ERROR, "referenced object not found")),
            Map.entry(Kind.CONFLICT, new Row(Severity.ERROR, "value already taken")),
            Map.entry(Kind.OWNERSHIP, new Row(Severity.ERROR, "managed by someone else")),
            Map.entry(Kind.QUOTA, new Row(Severity.ERROR, "pool quota exceeded")),
            Map.entry(Kind.IN_USE, new Row(Severity.ERROR, "still in use")),
            Map.entry(Kind.PLACEMENT, new Row(Severity.ERROR, "no node can take it")),
            Map.entry(Kind.PROXMOX_PERMISSION, new Row(Severity.ERROR, "Proxmox permission denied")),
            Map.entry(Kind.PROXMOX_AUTHENTICATION, new Row(Severity.ERROR, "Proxmox authentication failed")),
            Map.entry(Kind.PROXMOX_LOCKED, new Row(Severity.ERROR, "guest locked in Proxmox (try again)")),
            Map.entry(Kind.PROXMOX_TASK_FAILED, new Row(Severity.ERROR, "Proxmox task failed")),
            Map.entry(Kind.PROXMOX_UNAVAILABLE, new Row(Severity.ERROR, "Proxmox unavailable (try again)")),
            Map.entry(Kind.PROXMOX_ERROR, new Row(Severity.ERROR, "Proxmox refused the request")),
            Map.entry(Kind.REGISTRY_UNAVAILABLE, new Row(Severity.ERROR, "registry unavailable (try again)")),
            Map.entry(Kind.INTERRUPTED, new Row(Severity.ERROR, "interrupted (try again)")),
            Map.entry(Kind.CANCELLED, new Row(Severity.ERROR, "cancelled (the next apply resumes or rolls back)")),
            Map.entry(Kind.INTERNAL, new Row(Severity.ERROR, "internal error"))));

    private EngineDiagnostics() {
    }

    /**
     * Adds the diagnostic for {@code failure}; {@code what} is the operation ("Applying
     * proxplane_container"). Returns the engine error it became.
     */
    static EngineException report(Diagnostics d, SpecPaths paths, String what, RuntimeException failure) {
        return report(d, paths, null, what, failure);
    }

    /**
     * As {@link #report(Diagnostics, SpecPaths, String, RuntimeException)}; an object that belongs
     * to another resource (a claim conflict) is reported on {@code objectPath}, the attribute naming
     * the object, with the holder in the detail.
     */
    static EngineException report(Diagnostics d, SpecPaths paths, AttributePath objectPath, String what,
                                  RuntimeException failure) {
        EngineException e = EngineErrors.translate(failure);
        if (e.kind() == Kind.CONFLICT && e.getCause() instanceof ClaimConflictException) {
            d.add(new Diagnostic(Severity.ERROR, what + " failed (conflict): object belongs to another resource",
                    e.getMessage() + ". Each object is managed by one resource: import it (terraform import) to manage"
                            + " it from this one, or remove the other resource.", objectPath));
            return e;
        }
        Row row = BY_KIND.get(e.kind());
        if (e.kind() == Kind.INTERNAL) {
            LOG.error("{} failed", what, failure);
        }
        if (e.kind() == Kind.INVALID_SPEC && e.field() != null) {
            AttributePath p = paths.path(e.field());
            d.add(new Diagnostic(row.severity(), "Invalid " + p, p + " " + e.reason() + ".", p));
        } else if (e.field() != null) {
            // a refusal of one attribute's value (a reference to an object that is gone): shown on it
            d.add(new Diagnostic(row.severity(), what + " failed (" + e.kind().name().toLowerCase(Locale.ROOT) + "): "
                    + row.summary(), e.getMessage(), paths.path(e.field())));
        } else {
            // the kind's name stays in the summary: it is the stable token users search for (`ownership`)
            d.add(new Diagnostic(row.severity(), what + " failed (" + e.kind().name().toLowerCase(Locale.ROOT) + "): "
                    + row.summary(), e.getMessage(), null));
        }
        return e;
    }
}
