package io.proxplane.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LocalOptionsTest {
    private static final Path ROOT = Path.of("/tmp/proxplane-root");

    @Test
    void spacedAndJoinedOptionsMeanTheSame() {
        LocalOptions spaced = LocalOptions.parse(new String[] {"--ldap-port", "11389", "--https-port", "9443",
                "--registry-url", "jdbc:postgresql://127.0.0.1:5432/other", "--state-dir", "/tmp/s", "--once"}, ROOT);
        LocalOptions joined = LocalOptions.parse(new String[] {"--ldap-port=11389", "--https-port=9443",
                "--registry-url=jdbc:postgresql://127.0.0.1:5432/other", "--state-dir=/tmp/s", "--once"}, ROOT);
        assertThat(joined).isEqualTo(spaced);
        assertThat(joined.ldapPort()).isEqualTo(11389);
        assertThat(joined.httpsPort()).isEqualTo(9443);
        assertThat(joined.registryUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/other");
        assertThat(joined.stateDir()).isEqualTo(Path.of("/tmp/s"));
        assertThat(joined.once()).isTrue();
    }

    @Test
    void aTokenWithEqualsSignsSurvivesTheJoinedForm() {
        LocalOptions o = LocalOptions.parse(new String[] {"--proxmox-url=https://pve:8006", "--token=root@pam!ci=SE=CRET",
                "--insecure"}, ROOT);
        assertThat(o.tokenId()).isEqualTo("root@pam!ci");
        assertThat(o.tokenSecret()).isEqualTo("SE=CRET");
    }

    @Test
    void aLibpqRegistryUrlIsAcceptedAndCarriesTheUser() {
        LocalOptions o = LocalOptions.parse(new String[] {"--registry-url=postgresql://pp@127.0.0.1:5432/mine"}, ROOT);
        assertThat(o.registryUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/mine");
        assertThat(o.registryUser()).isEqualTo("pp");
        assertThat(o.registryDatabase()).isEqualTo("mine");
        LocalOptions explicit = LocalOptions.parse(new String[] {"--registry-user", "me", "--registry-url", "postgresql://pp@h/mine"}, ROOT);
        assertThat(explicit.registryUser()).isEqualTo("me");
    }

    @Test
    void badInputNamesTheOption() {
        assertThatThrownBy(() -> LocalOptions.parse(new String[] {"--once=yes"}, ROOT)).hasMessage("--once takes no value");
        assertThatThrownBy(() -> LocalOptions.parse(new String[] {"--ldap-port=x"}, ROOT)).hasMessageContaining("--ldap-port must be a port number");
        assertThatThrownBy(() -> LocalOptions.parse(new String[] {"--registry-url=mysql://h/db"}, ROOT)).hasMessageStartingWith("--registry-url:");
        assertThatThrownBy(() -> LocalOptions.parse(new String[] {"--nope=1"}, ROOT)).hasMessage("unknown option: --nope");
    }
}
