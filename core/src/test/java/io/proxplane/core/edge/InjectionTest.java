package io.proxplane.core.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proxplane.core.model.ConfigPath;
import io.proxplane.core.model.DnsLabel;
import io.proxplane.core.model.DomainName;
import io.proxplane.core.model.HeaderName;
import io.proxplane.core.model.HttpUrl;
import io.proxplane.core.model.MacAddress;
import io.proxplane.core.model.ResourceName;
import io.proxplane.core.model.SrvServiceName;
import io.proxplane.core.model.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Hostile input must be refused where it enters the model, with the field named, and so can never
 * reach rendered text. The renderers' own guard is tested separately as a second line of defence.
 */
class InjectionTest {

    static final List<String> HOSTILE = List.of(
            "a;b", "x\n}", "$host", "a\"b", "a'b", "{a}", "a}", "a b", "a\tb", "a#b", "a\\b",
            "x\nserver=6.6.6.6", "x;\n    return 200 pwned;#", "caf\u00e9", "\u212a", "\u0000",
            "srv.example.com;include /etc/passwd");

    /** Too long for one DNS label (63) and, joined, for a domain name (253). */
    static final List<String> TOO_LONG = List.of("a".repeat(64), ("a".repeat(63) + ".").repeat(4) + "com");

    record Boundary(String field, Function<String, Object> factory, boolean dnsName) {
        @Override
        public String toString() {
            return field;
        }
    }

    static List<Boundary> boundaries() {
        return List.of(
                new Boundary("spec.http.hostname", raw -> DnsLabel.of("spec.http.hostname", raw), true),
                new Boundary("spec.domain", raw -> DomainName.of("spec.domain", raw), true),
                new Boundary("spec.authServer", raw -> HttpUrl.of("spec.authServer", "https://auth.example.com/" + raw), false),
                new Boundary("spec.loginUrl", raw -> HttpUrl.of("spec.loginUrl", "https://" + raw + "/login"), true),
                new Boundary("spec.dnsSrv.name", raw -> SrvServiceName.of("spec.dnsSrv.name", "_" + raw + "._tcp"), true),
                new Boundary("spec.tls.certificate", raw -> ConfigPath.of("spec.tls.certificate", "/etc/ssl/" + raw), false),
                new Boundary("status.mac", raw -> MacAddress.of("status.mac", raw), true),
                new Boundary("metadata.name", raw -> ResourceName.of("metadata.name", raw), false),
                new Boundary("settings.identityHeaders", raw -> HeaderName.of("settings.identityHeaders", raw), false));
    }

    @ParameterizedTest
    @MethodSource("boundaries")
    void hostileValuesAreRefusedWithTheFieldNamed(Boundary boundary) {
        List<String> values = new ArrayList<>(HOSTILE);
        if (boundary.dnsName()) {
            values.addAll(TOO_LONG);
        }
        for (String hostile : values) {
            assertThatThrownBy(() -> boundary.factory().apply(hostile)).as("%s <- %s", boundary, hostile)
                    .isInstanceOfSatisfying(ValidationException.class, e -> {
                        assertThat(e.field()).isEqualTo(boundary.field());
                        assertThat(e.getMessage()).doesNotContain("\n");
                    });
        }
    }

    @Test
    void hostileValuesNeverReachTheRenderedText() {
        // Build a snapshot from raw strings the way a front door would: every hostile value fails
        // at the boundary, so the only snapshot that can be rendered is the clean one.
        List<String> failures = new ArrayList<>();
        for (String hostile : HOSTILE) {
            try {
                EdgeFixtures.http(hostile, "example.test", "10.15.0.23", 80, io.proxplane.core.model.BackendProtocol.HTTP, false, false);
                failures.add(hostile);
            } catch (ValidationException expected) {
                // refused
            }
        }
        assertThat(failures).isEmpty();
        EdgeSnapshot snapshot = EdgeFixtures.sample(1);
        String everything = String.join("\n", NginxRenderer.render(snapshot, NginxSettings.defaults()).files().values())
                + DnsmasqRenderer.render(snapshot, DnsmasqSettings.defaults());
        // The payloads' distinctive parts (legitimate config contains '$host', ';' and so on).
        assertThat(everything).doesNotContain("6.6.6.6", "pwned", "/etc/passwd", "\u0000", "\u212a", "caf\u00e9");
    }

    @Test
    void rendererGuardRefusesUnsafeTextEvenIfAModelCheckWereMissing() {
        assertThatThrownBy(() -> ConfigText.token("a;b")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ConfigText.token("x\n}")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ConfigText.quoted(new StringBuilder(), "$host")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ConfigText.quoted(new StringBuilder(), "a\"; return 200;")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ConfigText.quoted(new StringBuilder(), "caf\u00e9")).isInstanceOf(IllegalStateException.class);
        assertThat(ConfigText.quoted(new StringBuilder(), "/etc/ssl/a.crt").toString()).isEqualTo("\"/etc/ssl/a.crt\"");
        assertThat(ConfigText.token("_ldaps._tcp.example.test")).isEqualTo("_ldaps._tcp.example.test");
    }
}
