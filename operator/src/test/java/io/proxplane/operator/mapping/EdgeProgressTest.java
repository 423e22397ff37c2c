package io.proxplane.operator.mapping;

import io.proxplane.core.registry.EdgeAgentStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EdgeProgressTest {
    static EdgeAgentStatus agent(String id, Long applied, String error) {
        return new EdgeAgentStatus(1, id, 7, applied, Instant.EPOCH, error, Instant.EPOCH, Instant.EPOCH);
    }

    @Test
    void appliedOnceAnAgentServesTheServicesRevision() {
        assertThat(EdgeProgress.of(40, List.of()).reason()).isEqualTo("NoEdgeAgent");
        assertThat(EdgeProgress.of(40, List.of(agent("a", 39L, null))).reason()).isEqualTo("Pending");
        EdgeProgress failing = EdgeProgress.of(40, List.of(agent("a", 39L, "nginx -t: unknown directive")));
        assertThat(failing.applied()).isFalse();
        assertThat(failing.reason()).isEqualTo("EdgeError");
        assertThat(failing.message()).contains("nginx -t");
        EdgeProgress done = EdgeProgress.of(40, List.of(agent("a", 39L, "x"), agent("b", 41L, null)));
        assertThat(done.applied()).isTrue();
        assertThat(done.message()).contains("edge agent b").contains("41");
        assertThat(EdgeProgress.of(40, List.of(agent("a", null, null))).reason()).isEqualTo("Pending");
    }
}
