package io.proxplane.terraform.resources;

import io.proxplane.core.engine.EngineException;
import io.proxplane.core.engine.EngineException.Kind;
import io.proxplane.core.registry.ConstraintViolationException;
import io.proxplane.terraform.diag.AttributePath;
import io.proxplane.terraform.diag.Diagnostic;
import io.proxplane.terraform.diag.Diagnostics;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The provider's one table from engine error kinds to diagnostics. */
class EngineDiagnosticsTest {

    @Test
    void everyKindHasOneRow() {
        for (Kind k : Kind.values()) {
            assertThat(EngineDiagnostics.BY_KIND).as(k.name()).containsKey(k);
            Diagnostics d = new Diagnostics();
            EngineDiagnostics.report(d, ContainerResource.PATHS, "Applying proxplane_container", new EngineException(k, "m", "do x"));
            assertThat(d.all()).as(k.name()).singleElement().satisfies(x -> {
                assertThat(x.severity()).isEqualTo(EngineDiagnostics.BY_KIND.get(k).severity());
                assertThat(x.summary()).isNotBlank();
            });
        }
    }

    @Test
    void aRefusedValueLandsOnItsAttribute() {
        Diagnostics d = new Diagnostics();
        EngineDiagnostics.report(d, ContainerResource.PATHS, "Applying proxplane_container",
                EngineException.invalidSpec("env.GREETING", "must be one line without control characters"));
        assertThat(d.all()).singleElement().satisfies(x -> {
            assertThat(x.isError()).isTrue();
            assertThat(x.path()).isEqualTo(AttributePath.of("env").key("GREETING"));
            assertThat(x.detail()).contains("must be one line without control characters");
        });
        // without a field the diagnostic is about the resource
        Diagnostics other = new Diagnostics();
        EngineDiagnostics.report(other, ContainerResource.PATHS, "Applying proxplane_container",
                new EngineException(Kind.QUOTA, "pool 'web' quota maxCores is 16", "raise it"));
        assertThat(other.all()).singleElement().satisfies(x -> {
            assertThat(x.path()).isNull();
            assertThat(x.summary()).startsWith("Applying proxplane_container failed (quota)");
        });
    }

    @Test
    void coreFailuresThatAreNotYetEngineErrorsGoThroughCoresTranslation() {
        Diagnostics d = new Diagnostics();
        EngineException e = EngineDiagnostics.report(d, ContainerResource.PATHS, "Applying proxplane_container",
                new ConstraintViolationException("containers_site_hostname_unique: already taken (ERROR: duplicate key value violates"
                        + " unique constraint \"containers_site_hostname_unique\")", "containers_site_hostname_unique",
                        ConstraintViolationException.Rule.UNIQUE, "containers", Map.of("site_id", "1", "hostname", "web"), null));
        assertThat(e.kind()).isEqualTo(Kind.CONFLICT);
        Diagnostic x = d.all().get(0);
        assertThat(x.summary()).contains("(conflict)");
        assertThat(x.detail()).contains("host name 'web'").doesNotContain("constraint").doesNotContain("ERROR:")
                .doesNotContain("duplicate key");
    }
}
