package io.proxplane.terraform.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.proxplane.terraform.diag.Diagnostic;
import io.proxplane.terraform.diag.Diagnostics;
import io.proxplane.terraform.value.TfValue;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdentityTest {

    private static final Identity SERVICE = Identity.of("<site>/<container>/<name>, e.g. lab/web1/https", "site", "container", "name");

    @Test
    void idJoinsTheIdentityAttributesOnceAllAreKnown() {
        TfValue.Obj known = TfValue.obj(Map.of("site", TfValue.of("lab"), "container", TfValue.of("web1"), "name", TfValue.of("https")));
        assertThat(SERVICE.id(known)).isEqualTo(TfValue.of("lab/web1/https"));
        assertThat(SERVICE.id(known.with("container", TfValue.UNKNOWN))).isEqualTo(TfValue.UNKNOWN);
        assertThat(Identity.of("the pool name", "name").id(TfValue.obj(Map.of("name", TfValue.of("web"))))).isEqualTo(TfValue.of("web"));
    }

    @Test
    void importIdFillsOnlyTheIdentityAttributes() {
        Diagnostics d = new Diagnostics();
        assertThat(SERVICE.importState("lab/web1/https", d)).containsExactly(TfValue.obj(Map.of(
                "site", TfValue.of("lab"), "container", TfValue.of("web1"), "name", TfValue.of("https"))));
        assertThat(d.all()).isEmpty();
    }

    @Test
    void malformedImportIdIsRefusedWithTheExpectedShape() {
        for (String bad : new String[] {"lab/web1", "lab/web1/https/x", "lab//https", "/lab/web1", "lab/web1/", ""}) {
            Diagnostics d = new Diagnostics();
            assertThat(SERVICE.importState(bad, d)).as(bad).isEmpty();
            assertThat(d.all()).as(bad).singleElement().satisfies(e -> {
                assertThat(e.severity()).isEqualTo(Diagnostic.Severity.ERROR);
                assertThat(e.summary()).isEqualTo("Invalid import id");
                assertThat(e.detail()).isEqualTo("Expected <site>/<container>/<name>, e.g. lab/web1/https, got '" + bad + "'.");
            });
        }
    }
}
