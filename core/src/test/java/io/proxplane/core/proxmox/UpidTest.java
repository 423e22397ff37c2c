package io.proxplane.core.proxmox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proxplane.core.proxmox.model.Upid;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UpidTest {

    @Test
    void parsesTokenUpid() {
        Upid u = Upid.parse("UPID:pve:0002A1B2:00C4D5E6:66A1B2C3:vzcreate:100:terraform@pve!op:");
        assertThat(u.node()).isEqualTo("pve");
        assertThat(u.pid()).isEqualTo(0x2A1B2);
        assertThat(u.pstart()).isEqualTo(0xC4D5E6L);
        assertThat(u.startTime()).isEqualTo(Instant.ofEpochSecond(0x66A1B2C3L));
        assertThat(u.type()).isEqualTo("vzcreate");
        assertThat(u.id()).isEqualTo("100");
        assertThat(u.user()).isEqualTo("terraform@pve");
        assertThat(u.tokenId()).isEqualTo("op");
        assertThat(u.owner()).isEqualTo("terraform@pve!op");
        assertThat(u).hasToString("UPID:pve:0002A1B2:00C4D5E6:66A1B2C3:vzcreate:100:terraform@pve!op:");
    }

    @Test
    void parsesUserUpidWithEmptyIdAndNinePstartDigits() {
        Upid u = Upid.parse("UPID:node-2:000000FF:1C4D5E6F7:66A1B2C3:ociregistrypull::root@pam:");
        assertThat(u.node()).isEqualTo("node-2");
        assertThat(u.pstart()).isEqualTo(0x1C4D5E6F7L);
        assertThat(u.id()).isEmpty();
        assertThat(u.user()).isEqualTo("root@pam");
        assertThat(u.tokenId()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "UPID:pve:0002A1B2:00C4D5E6:66A1B2C3:vzcreate:100:root@pam",      // no trailing colon
            "UPID:pve:2A1B2:00C4D5E6:66A1B2C3:vzcreate:100:root@pam:",        // pid not 8 hex
            "UPID:pve:0002A1B2:00C4D5E6:66A1B2C3:vzcreate:100::",             // no user
            "UPID:-pve:0002A1B2:00C4D5E6:66A1B2C3:vzcreate:100:root@pam:",    // bad node
            "UPID:pve:0002A1B2:00C4D5E6:66A1B2CG:vzcreate:100:root@pam:",     // not hex
            "UPID:pve:0002A1B2:00C4D5E6:66A1B2C3:vz create:100:root@pam:",    // space in type
            "upid:pve:0002A1B2:00C4D5E6:66A1B2C3:vzcreate:100:root@pam:",
    })
    void rejectsMalformed(String text) {
        assertThatThrownBy(() -> Upid.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a valid UPID");
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> Upid.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
