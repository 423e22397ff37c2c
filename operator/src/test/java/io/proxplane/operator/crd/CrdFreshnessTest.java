package io.proxplane.operator.crd;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** crds/ is generated from the CR classes at build time; a stale committed copy fails the build. */
class CrdFreshnessTest {
    static final String REFRESH = "crds/ is stale: the CR classes changed. Refresh it with bin/refresh-crds "
            + "(or: mvn -B -ntp -pl operator -am process-classes -DskipTests && "
            + "cp operator/target/classes/META-INF/fabric8/*.proxplane.io-v1.yml crds/) and commit crds/.";

    @Test
    void committedCrdsAreTheGeneratedOnes() {
        var generated = CrdFiles.texts(CrdFiles.GENERATED);
        var committed = CrdFiles.texts(CrdFiles.COMMITTED);
        assertThat(generated).as("generated CRDs").hasSize(8);
        assertThat(committed.keySet()).as(REFRESH).isEqualTo(generated.keySet());
        generated.forEach((file, text) -> assertThat(committed.get(file)).as(file + ": " + REFRESH).isEqualTo(text));
    }
}
