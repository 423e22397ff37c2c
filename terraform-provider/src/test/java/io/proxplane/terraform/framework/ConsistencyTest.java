package io.proxplane.terraform.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.proxplane.terraform.diag.Diagnostics;
import io.proxplane.terraform.value.TfType;
import io.proxplane.terraform.value.TfValue;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsistencyTest {

    static final TfType TYPE = TfType.objectOf(
            "hostname", TfType.STRING,
            "vmid", TfType.NUMBER,
            "tags", TfType.setOf(TfType.STRING),
            "disks", TfType.listOf(TfType.objectOf("size", TfType.STRING)));

    static TfValue.Obj state(String hostname, TfValue vmid, List<String> tags, String size) {
        return TfValue.obj(Map.of(
                "hostname", TfValue.of(hostname),
                "vmid", vmid,
                "tags", TfValue.seq(tags.stream().map(TfValue::of).toList()),
                "disks", TfValue.seq(List.of(TfValue.obj(Map.of("size", TfValue.of(size)))))));
    }

    @Test
    void unknownsMayBeFilledAndSetsMayReorder() {
        Diagnostics d = new Diagnostics();
        Consistency.checkApplied("proxplane_x", state("web", TfValue.UNKNOWN, List.of("a", "b"), "8G"),
                state("web", TfValue.of(101L), List.of("b", "a"), "8G"), TYPE, d);
        assertThat(d.all()).isEmpty();
    }

    @Test
    void aChangedKnownValueIsReportedAtItsPath() {
        Diagnostics d = new Diagnostics();
        Consistency.checkApplied("proxplane_x", state("web", TfValue.UNKNOWN, List.of("a"), "8G"),
                state("web", TfValue.of(101L), List.of("a"), "8"), TYPE, d);
        assertThat(d.all()).singleElement().satisfies(x -> {
            assertThat(x.path().toString()).isEqualTo("disks[0].size");
            assertThat(x.detail()).contains("\"8G\"").contains("\"8\"");
        });
    }

    @Test
    void setNormalisationIsCaught() {
        Diagnostics d = new Diagnostics();
        Consistency.checkApplied("proxplane_x", state("web", TfValue.of(1L), List.of("Prod"), "8G"),
                state("web", TfValue.of(1L), List.of("prod"), "8G"), TYPE, d);
        assertThat(d.all()).singleElement().satisfies(x -> assertThat(x.path().toString()).isEqualTo("tags"));
    }
}
