package io.proxplane.core.edge;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A missing binary must fail loudly with the packages to install, never skip. */
class EdgeBinariesTest {

    @Test
    void missingBinaryFailsWithThePackageList() {
        assertThatThrownBy(() -> EdgeBinaries.require("proxplane-no-such-binary"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("proxplane-no-such-binary")
                .hasMessageContaining("nginx libnginx-mod-stream dnsmasq-base bind9-dnsutils");
    }
}
