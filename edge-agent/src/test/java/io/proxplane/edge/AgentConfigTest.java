package io.proxplane.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentConfigTest {
    static final List<String> REQUIRED = List.of("--registry-url=jdbc:postgresql://db/proxplane", "--site=site1");

    @Test
    void defaultsAreTheProductionLayout() {
        AgentConfig c = AgentConfig.parse(REQUIRED, Map.of());
        assertThat(c.nginxDir()).isEqualTo(Path.of("/etc/nginx/proxplane"));
        assertThat(c.nginxHttpsPort()).isEqualTo(443);
        assertThat(c.debounce()).isEqualTo(Duration.ofMillis(150));
        assertThat(c.maxDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.resyncInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.followFeed()).isTrue();
        assertThat(c.httpListen()).contains("127.0.0.1:9464");
    }

    @Test
    void flagsWinOverTheEnvironment() {
        AgentConfig c = AgentConfig.parse(List.of("--registry-url", "jdbc:postgresql://db/x", "--debounce=50ms"),
                Map.of("PROXPLANE_EDGE_SITE", "envsite", "PROXPLANE_EDGE_DEBOUNCE", "2s",
                        "PROXPLANE_EDGE_REGISTRY_PASSWORD", "secret", "PROXPLANE_EDGE_HTTP_LISTEN", "off"));
        assertThat(c.site()).isEqualTo("envsite");
        assertThat(c.debounce()).isEqualTo(Duration.ofMillis(50));
        assertThat(c.registryPassword()).isEqualTo("secret");
        assertThat(c.toString()).doesNotContain("secret");
        assertThat(c.httpListen()).isEmpty();
    }

    @Test
    void bothOptionFormsAndBothRegistryUrlFormsAreAccepted() {
        AgentConfig spaced = AgentConfig.parse(List.of("--registry-url", "postgresql://edge:pw@db:5433/x", "--site", "s1",
                "--debounce", "50ms"), Map.of());
        AgentConfig joined = AgentConfig.parse(List.of("--registry-url=jdbc:postgresql://db:5433/x", "--site=s1",
                "--debounce=50ms"), Map.of());
        assertThat(spaced.registryUrl()).isEqualTo("jdbc:postgresql://db:5433/x").isEqualTo(joined.registryUrl());
        assertThat(spaced.registryUser()).isEqualTo("edge");
        assertThat(spaced.registryPassword()).isEqualTo("pw");
        assertThat(joined.registryUser()).isEqualTo("postgres");
        assertThat(spaced.site()).isEqualTo(joined.site()).isEqualTo("s1");
        assertThat(spaced.debounce()).isEqualTo(joined.debounce()).isEqualTo(Duration.ofMillis(50));
        assertThatThrownBy(() -> AgentConfig.parse(List.of("--registry-url=mysql://db/x", "--site=s"), Map.of()))
                .hasMessageStartingWith("registry-url:");
    }

    @Test
    void badValuesNameTheOption() {
        assertThatThrownBy(() -> AgentConfig.parse(List.of("--site=s"), Map.of()))
                .hasMessageStartingWith("registry-url: required");
        assertThatThrownBy(() -> AgentConfig.parse(concat("--nginx-https-port=70000"), Map.of()))
                .hasMessageStartingWith("nginx-https-port:");
        assertThatThrownBy(() -> AgentConfig.parse(concat("--debounce=soon"), Map.of()))
                .hasMessageStartingWith("debounce:");
        assertThatThrownBy(() -> AgentConfig.parse(concat("--debounce=2s", "--max-delay=1s"), Map.of()))
                .hasMessageStartingWith("max-delay:");
        assertThatThrownBy(() -> AgentConfig.parse(concat("--nginx-dir=relative/dir"), Map.of()))
                .hasMessageStartingWith("nginx-dir:");
        assertThatThrownBy(() -> AgentConfig.parse(concat("--no-such-option=1"), Map.of()))
                .hasMessageStartingWith("--no-such-option: unknown option");
        assertThatThrownBy(() -> AgentConfig.parse(concat("--agent-id=bad id"), Map.of()))
                .hasMessageStartingWith("agent-id:");
    }

    @Test
    void durationsAcceptUnitsAndIso() {
        assertThat(AgentConfig.parseDuration("x", "150ms")).isEqualTo(Duration.ofMillis(150));
        assertThat(AgentConfig.parseDuration("x", "12h")).isEqualTo(Duration.ofHours(12));
        assertThat(AgentConfig.parseDuration("x", "PT5S")).isEqualTo(Duration.ofSeconds(5));
    }

    private static List<String> concat(String... extra) {
        List<String> all = new java.util.ArrayList<>(REQUIRED);
        all.addAll(List.of(extra));
        return all;
    }
}
