package io.proxplane.operator;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OperatorConfigTest {
    static Map<String, String> minimal() {
        Map<String, String> env = new HashMap<>();
        env.put("PROXPLANE_REGISTRY_URL", "jdbc:postgresql://db:5432/proxplane");
        env.put("PROXPLANE_REGISTRY_USER", "proxplane");
        env.put("POD_NAME", "proxplane-operator-7d9f-abcde");
        env.put("POD_NAMESPACE", "proxplane-system");
        return env;
    }

    @Test
    void defaults() {
        OperatorConfig c = OperatorConfig.fromEnv(minimal());
        assertThat(c.watchNamespaces()).isEmpty();
        assertThat(c.leaderElection()).isTrue();
        assertThat(c.leaseNamespace()).isEqualTo("proxplane-system");
        assertThat(c.leaseName()).isEqualTo("proxplane-operator");
        assertThat(c.identity()).isEqualTo("proxplane-operator-7d9f-abcde");
        assertThat(c.httpPort()).isEqualTo(8080);
        assertThat(c.resyncInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.registryPassword()).isNull();
    }

    @Test
    void everyVariable() {
        var env = minimal();
        env.put("PROXPLANE_REGISTRY_PASSWORD", "s3cret");
        env.put("PROXPLANE_WATCH_NAMESPACES", " team-a, team-b ,");
        env.put("PROXPLANE_LEADER_ELECTION_NAMESPACE", "ops");
        env.put("PROXPLANE_LEADER_ELECTION_LEASE", "pp-lease");
        env.put("PROXPLANE_HTTP_PORT", "9090");
        env.put("PROXPLANE_RESYNC_INTERVAL", "PT30S");
        OperatorConfig c = OperatorConfig.fromEnv(env);
        assertThat(c.watchNamespaces()).isEqualTo(Set.of("team-a", "team-b"));
        assertThat(c.leaseNamespace()).isEqualTo("ops");
        assertThat(c.leaseName()).isEqualTo("pp-lease");
        assertThat(c.httpPort()).isEqualTo(9090);
        assertThat(c.resyncInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.toString()).doesNotContain("s3cret");
    }

    @Test
    void withoutLeaderElectionThePodIdentityIsOptional() {
        var env = minimal();
        env.remove("POD_NAME");
        env.remove("POD_NAMESPACE");
        env.put("PROXPLANE_LEADER_ELECTION", "false");
        assertThat(OperatorConfig.fromEnv(env).leaderElection()).isFalse();
    }

    @Test
    void aLibpqRegistryUrlIsAcceptedAndMayCarryTheUser() {
        var env = minimal();
        env.put("PROXPLANE_REGISTRY_URL", "postgresql://op:pw@db:5432/proxplane");
        env.remove("PROXPLANE_REGISTRY_USER");
        OperatorConfig c = OperatorConfig.fromEnv(env);
        assertThat(c.registryUrl()).isEqualTo("jdbc:postgresql://db:5432/proxplane");
        assertThat(c.registryUser()).isEqualTo("op");
        assertThat(c.registryPassword()).isEqualTo("pw");
        env.put("PROXPLANE_REGISTRY_USER", "explicit");
        assertThat(OperatorConfig.fromEnv(env).registryUser()).isEqualTo("explicit");
    }

    @Test
    void badConfigurationNamesTheVariable() {
        assertRefused("PROXPLANE_REGISTRY_URL", null, "PROXPLANE_REGISTRY_URL: is required");
        assertRefused("PROXPLANE_REGISTRY_URL", "mysql://db/x", "PROXPLANE_REGISTRY_URL: must be a PostgreSQL URL like jdbc:postgresql://");
        assertRefused("PROXPLANE_REGISTRY_USER", "", "PROXPLANE_REGISTRY_USER: is required");
        assertRefused("PROXPLANE_WATCH_NAMESPACES", "team-a,Team_B", "PROXPLANE_WATCH_NAMESPACES: 'Team_B'");
        assertRefused("PROXPLANE_LEADER_ELECTION", "yes", "PROXPLANE_LEADER_ELECTION: must be true or false");
        assertRefused("POD_NAME", null, "POD_NAME: is required with leader election");
        assertRefused("PROXPLANE_HTTP_PORT", "http", "PROXPLANE_HTTP_PORT: 'http' is not a port number");
        assertRefused("PROXPLANE_HTTP_PORT", "70000", "PROXPLANE_HTTP_PORT: must be between 0 and 65535");
        assertRefused("PROXPLANE_RESYNC_INTERVAL", "5m", "PROXPLANE_RESYNC_INTERVAL: '5m' is not an ISO-8601 duration");
        assertRefused("PROXPLANE_RESYNC_INTERVAL", "PT1S", "PROXPLANE_RESYNC_INTERVAL: must be between PT10S and P1D");
        assertRefused("PROXPLANE_LEADER_ELECTION_LEASE", "Bad Lease", "PROXPLANE_LEADER_ELECTION_LEASE:");
        var env = minimal();
        env.remove("POD_NAMESPACE");
        assertThatThrownBy(() -> OperatorConfig.fromEnv(env)).hasMessageStartingWith("PROXPLANE_LEADER_ELECTION_NAMESPACE: is required");
    }

    private static void assertRefused(String variable, String value, String message) {
        var env = minimal();
        if (value == null) env.remove(variable);
        else env.put(variable, value);
        assertThatThrownBy(() -> OperatorConfig.fromEnv(env)).isInstanceOf(OperatorConfig.ConfigException.class)
                .hasMessageStartingWith(message);
    }
}
