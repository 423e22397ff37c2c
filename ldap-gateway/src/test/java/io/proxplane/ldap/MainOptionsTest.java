package io.proxplane.ldap;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MainOptionsTest {
    @Test
    void flagsOverrideEnvironmentAndUnknownOptionsAreNamed() {
        Map<String, String> o = Main.parse(new String[] {"--ldap-port=1389", "--base-dn=dc=a,dc=b"},
                Map.of("PROXPLANE_LDAP_LDAP_PORT", "389", "PROXPLANE_LDAP_PUSH_URL", "http://push/send-notification"));
        assertThat(o).containsEntry("ldap-port", "1389").containsEntry("base-dn", "dc=a,dc=b")
                .containsEntry("push-url", "http://push/send-notification");
        assertThatThrownBy(() -> Main.parse(new String[] {"--ldap-prot=1"}, Map.of()))
                .hasMessageContaining("unknown option --ldap-prot");
        assertThatThrownBy(() -> Main.parse(new String[] {"ldap-port"}, Map.of())).hasMessageContaining("--name=value");
    }

    @Test
    void bothOptionFormsAreAccepted() {
        Map<String, String> o = Main.parse(new String[] {"--ldap-port", "1389", "--base-dn=dc=a,dc=b", "--registry-url",
                "postgresql://postgres@127.0.0.1:5432/proxplane", "--push-wait=PT5S"}, Map.of());
        assertThat(o).containsEntry("ldap-port", "1389").containsEntry("base-dn", "dc=a,dc=b")
                .containsEntry("registry-url", "postgresql://postgres@127.0.0.1:5432/proxplane").containsEntry("push-wait", "PT5S");
        assertThatThrownBy(() -> Main.parse(new String[] {"--ldap-port"}, Map.of()))
                .hasMessageContaining("--ldap-port: missing value");
    }
}
