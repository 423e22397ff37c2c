package io.proxplane.core.proxmox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TlsAndRetryPolicyTest {

    private static final String PIN = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";

    @Test
    void pinIsCanonicalisedFromAnySpelling() {
        TlsTrust.PinnedSha256 pin = (TlsTrust.PinnedSha256) TlsTrust.pinnedSha256(PIN.toLowerCase().replace(":", ""));
        assertThat(pin.fingerprint()).isEqualTo(PIN);
        assertThat(pin.bytes()).hasSize(32).startsWith((byte) 0xAB, (byte) 0xCD);
        assertThat(TlsTrust.pinnedSha256(" " + PIN + " ")).isEqualTo(pin);
    }

    @Test
    void badPinsAreRejectedWithTheReason() {
        assertThatThrownBy(() -> TlsTrust.pinnedSha256("AB:CD")).hasMessageContaining("32 hex bytes");
        assertThatThrownBy(() -> TlsTrust.pinnedSha256(PIN.replace("AB", "XY"))).hasMessageContaining("32 hex bytes");
        assertThatThrownBy(() -> TlsTrust.pinnedSha256("")).hasMessageContaining("fingerprint required");
    }

    @Test
    void backOffDoublesUpToTheMaximum() {
        RetryPolicy p = RetryPolicy.of(10, Duration.ofMillis(100), Duration.ofSeconds(1));
        assertThat(p.ceiling(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(p.ceiling(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(p.ceiling(4)).isEqualTo(Duration.ofMillis(800));
        assertThat(p.ceiling(5)).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.ceiling(60)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void fullJitterScalesTheCeiling() {
        RetryPolicy p = RetryPolicy.of(10, Duration.ofMillis(100), Duration.ofSeconds(1)).withJitter(() -> 0.5);
        assertThat(p.delay(3)).isEqualTo(Duration.ofMillis(200));
        assertThat(p.withJitter(() -> 0.0).delay(3)).isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> p.withJitter(() -> 1.0).delay(1)).isInstanceOf(IllegalStateException.class);
        for (int i = 0; i < 100; i++) {
            assertThat(RetryPolicy.of(5, Duration.ofMillis(100), Duration.ofSeconds(1)).delay(2))
                    .isBetween(Duration.ZERO, Duration.ofMillis(200));
        }
    }

    @Test
    void invalidPoliciesAreRejected() {
        assertThatThrownBy(() -> RetryPolicy.of(0, Duration.ZERO, Duration.ZERO)).hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> RetryPolicy.of(3, Duration.ofSeconds(2), Duration.ofSeconds(1))).hasMessageContaining("delays");
    }
}
