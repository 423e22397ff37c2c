package io.proxplane.operator;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Where referenced Secrets are watched must match the chart's RBAC (docs/helm.md). */
class ProxplaneOperatorSettingsTest {
    static ProxplaneOperator.Settings settings(Set<String> watched, String own) {
        return new ProxplaneOperator.Settings(watched, own, null, Duration.ofMinutes(5), Duration.ofMinutes(5),
                Duration.ofMinutes(5), "x", 1);
    }

    @Test
    void secretsAreWatchedEverywhereOrInTheWatchedNamespacesPlusTheOperatorsOwn() {
        assertThat(settings(Set.of(), "proxplane-system").secretNamespaces()).isEmpty(); // empty = all
        assertThat(settings(Set.of("team-a", "team-b"), "proxplane-system").secretNamespaces())
                .containsExactlyInAnyOrder("team-a", "team-b", "proxplane-system");
        assertThat(settings(Set.of("team-a"), null).secretNamespaces()).containsExactly("team-a");
    }
}
