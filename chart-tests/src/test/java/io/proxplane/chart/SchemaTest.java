package io.proxplane.chart;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.proxplane.chart.ChartFixture.ciValues;
import static io.proxplane.chart.ChartFixture.renderFailure;
import static io.proxplane.chart.ChartFixture.valuesFile;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad values fail `helm template` (and so `helm install`) through values.schema.json or the
 * templates' own checks, with the field named.
 */
class SchemaTest {
    @TempDir
    Path dir;

    private String refused(String yaml) {
        return renderFailure(List.of(ciValues("minimal"), valuesFile(dir, "bad", yaml)), Map.of());
    }

    @Test
    void negativeReplicasAreRefusedNamingTheField() {
        assertThat(refused("ldap:\n  replicas: -1\n")).contains("at '/ldap/replicas'").contains("minimum");
        assertThat(refused("edge:\n  replicas: 0\n")).contains("at '/edge/replicas'");
        assertThat(refused("operator:\n  replicas: 3\n")).contains("at '/operator/replicas'").contains("maximum");
    }

    @Test
    void anImageTagOfTheWrongTypeIsRefused() {
        // an unquoted 1.5 is a number in YAML: it would render as "1.5" today and as 1.50 -> "1.5" tomorrow
        assertThat(refused("operator:\n  image:\n    tag: 1.5\n")).contains("at '/operator/image/tag'").contains("want string");
        assertThat(refused("edge:\n  image:\n    digest: latest\n")).contains("at '/edge/image/digest'");
        assertThat(refused("ldap:\n  image:\n    pullPolicy: Sometimes\n")).contains("at '/ldap/image/pullPolicy'");
    }

    @Test
    void misspelledKeysAreRefusedRatherThanIgnored() {
        assertThat(refused("operator:\n  replica: 2\n")).contains("at '/operator'").contains("'replica' not allowed");
        assertThat(refused("registy:\n  url: x\n")).contains("'registy' not allowed");
    }

    @Test
    void valuesThatWouldLeaveTheRestrictedProfileAreRefused() {
        assertThat(refused("containerSecurityContext:\n  allowPrivilegeEscalation: true\n  readOnlyRootFilesystem: true\n"
                + "  capabilities:\n    drop: [ALL]\n")).contains("at '/containerSecurityContext/allowPrivilegeEscalation'");
        assertThat(refused("containerSecurityContext:\n  allowPrivilegeEscalation: false\n  readOnlyRootFilesystem: true\n"
                + "  capabilities:\n    drop: [ALL]\n    add: [SYS_ADMIN]\n")).contains("at '/containerSecurityContext/capabilities/add/0'");
        assertThat(refused("containerSecurityContext:\n  allowPrivilegeEscalation: false\n  readOnlyRootFilesystem: true\n"
                + "  capabilities:\n    drop: [NET_RAW]\n")).contains("at '/containerSecurityContext/capabilities/drop'");
        assertThat(refused("podSecurityContext:\n  runAsNonRoot: false\n  seccompProfile:\n    type: RuntimeDefault\n"))
                .contains("at '/podSecurityContext/runAsNonRoot'");
        assertThat(refused("podSecurityContext:\n  runAsNonRoot: true\n  seccompProfile:\n    type: Unconfined\n"))
                .contains("at '/podSecurityContext/seccompProfile/type'");
    }

    @Test
    void malformedConnectionAndPortValuesAreRefused() {
        assertThat(refused("registry:\n  url: postgres://db:5432/proxplane\n")).contains("at '/registry/url'");
        assertThat(refused("edge:\n  ports:\n    https: 70000\n")).contains("at '/edge/ports/https'");
        assertThat(refused("edge:\n  service:\n    streamPorts:\n      tcp:\n        first: 80\n        count: 1\n"))
                .contains("at '/edge/service/streamPorts/tcp/first'");
        assertThat(refused("operator:\n  resyncInterval: 5m\n")).contains("at '/operator/resyncInterval'");
        assertThat(refused("operator:\n  watchNamespaces: [Team_A]\n")).contains("at '/operator/watchNamespaces/0'");
    }

    @Test
    void combinationsTheSchemaCannotSeeAreRefusedByTheTemplates() {
        assertThat(refused("edge:\n  dnsmasq:\n    enabled: true\n"))
                .contains("edge.dnsmasq.enabled needs edge.hostNetwork.enabled");
        assertThat(refused("operator:\n  replicas: 2\n  leaderElection:\n    enabled: false\n"))
                .contains("operator.leaderElection.enabled must be true with operator.replicas > 1");
        assertThat(refused("ldap:\n  podDisruptionBudget:\n    minAvailable: 2\n"))
                .contains("ldap.podDisruptionBudget.minAvailable (2) must be lower than ldap.replicas (2)");
        assertThat(refused("edge:\n  service:\n    streamPorts:\n      tcp:\n        first: 65530\n        count: 10\n"))
                .contains("edge.service.streamPorts.tcp: first (65530) + count (10) goes beyond port 65535");
        assertThat(refused("edge:\n  service:\n    streamPorts:\n      tcp:\n        first: 8000\n        count: 500\n"))
                .contains("edge.service.streamPorts.tcp (8000-8499) contains edge.ports.http (8080)");
        assertThat(refused("ldap:\n  tls:\n    secretName: \"\"\n    certManager:\n      enabled: true\n"))
                .contains("ldap.tls.certManager.issuerRef.name is required");
        assertThat(refused("edge:\n  tls:\n    domains:\n      - {domain: a.example.com, secretName: one}\n"
                + "      - {domain: a.example.com, secretName: two}\n"))
                .contains("edge.tls.domains: a.example.com is listed twice");
    }
}
