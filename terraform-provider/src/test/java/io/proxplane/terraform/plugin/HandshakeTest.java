package io.proxplane.terraform.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HandshakeTest {

    @Test
    void picksTheHighestCommonVersion() {
        assertThat(Handshake.negotiate("5,6", Set.of(5, 6))).hasValue(6);
        assertThat(Handshake.negotiate("6,5", Set.of(5))).hasValue(5);
        assertThat(Handshake.negotiate("5", Set.of(6))).isEqualTo(OptionalInt.empty());
        // A legacy host that sends no list gets our lowest version, as go-plugin does.
        assertThat(Handshake.negotiate(null, Set.of(5, 6))).hasValue(5);
    }

    @Test
    void ownSettingLimitsTheOffer() {
        assertThat(Handshake.offered(null)).containsExactly(5, 6);
        assertThat(Handshake.offered("6")).containsExactly(6);
        assertThatThrownBy(() -> Handshake.offered("4")).hasMessageContaining("PROXPLANE_TF_PROTOCOLS");
    }

    @Test
    void lineHasSixFieldsAndUnpaddedBase64() throws Exception {
        InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 12345);
        assertThat(Handshake.line(6, a, new byte[] {1, 2, 3, 4})).isEqualTo("1|6|tcp|127.0.0.1:12345|grpc|AQIDBA");
        assertThat(Handshake.line(5, a, null)).isEqualTo("1|5|tcp|127.0.0.1:12345|grpc|");
    }

    @Test
    void serverCertificateIsASelfSignedCaForLocalhost() throws Exception {
        SelfSignedCertificate c = SelfSignedCertificate.generate();
        c.certificate().verify(c.certificate().getPublicKey());
        assertThat(c.certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(c.certificate().getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
        assertThat(c.certificate().getSubjectAlternativeNames()).anySatisfy(s -> assertThat(s.get(1)).isEqualTo("localhost"));
        assertThat(SelfSignedCertificate.parsePem(c.pem())).isEqualTo(c.certificate());
    }
}
