package io.proxplane.terraform.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proxplane.core.engine.spec.SiteSpec;
import io.proxplane.core.model.ValidationException;
import io.proxplane.terraform.value.TfValue;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValuesTest {

    enum Three { ONE, TWO, THREE }

    @Test
    void choiceReadsTheLowerCaseNameOfAConstant() {
        TfValue.Obj v = TfValue.obj(Map.of("placement_policy", TfValue.of("first_fit")));
        assertThat(Values.choice(v, "placement_policy", SiteSpec.PlacementPolicy.class)).isEqualTo(SiteSpec.PlacementPolicy.FIRST_FIT);
        assertThat(Values.choice(v, "unset", SiteSpec.PlacementPolicy.class)).isNull();
        assertThat(Values.choice(SiteSpec.PlacementPolicy.LEAST_LOADED)).isEqualTo(TfValue.of("least_loaded"));
    }

    @Test
    void choiceRefusesAnyOtherSpellingNamingTheAttributeAndTheChoices() {
        TfValue.Obj v = TfValue.obj(Map.of("policy", TfValue.of("FIRST_FIT"), "three", TfValue.of("four")));
        assertThatThrownBy(() -> Values.choice(v, "policy", SiteSpec.PlacementPolicy.class))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("policy");
                    assertThat(e.reason()).isEqualTo("must be least_loaded or first_fit, got 'FIRST_FIT'");
                });
        assertThatThrownBy(() -> Values.choice(v, "three", Three.class))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.reason()).isEqualTo("must be one, two or three, got 'four'"));
    }

    @Test
    void engineDefaultsOfOptionalAttributesStayUnset() {
        assertThat(Values.unsetIfFalse(false)).isEqualTo(TfValue.NULL);
        assertThat(Values.unsetIfFalse(true)).isEqualTo(TfValue.of(true));
        assertThat(Values.unsetIfEmpty(List.of())).isEqualTo(TfValue.NULL);
        assertThat(Values.unsetIfEmpty(List.of("a"))).isEqualTo(TfValue.seq(List.of(TfValue.of("a"))));
        assertThat(Values.unsetIfEmpty(Map.of())).isEqualTo(TfValue.NULL);
        assertThat(Values.unsetIfEmpty(Map.of("k", "v"))).isEqualTo(TfValue.obj(Map.of("k", TfValue.of("v"))));
    }
}
