package io.proxplane.core.registry.alloc;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Ipv4PickerTest {
    private static long ip(String s) {
        return Ipv4.parse("test", s);
    }

    @Test
    void skipsNetworkGatewayExcludedAndUsedAndNeverReturnsBroadcast() {
        Ipv4Network net = Ipv4Network.parse("cidr", "192.168.1.0/29"); // .0 network, .7 broadcast
        var excluded = List.of(new Ipv4Picker.Range(ip("192.168.1.2"), ip("192.168.1.3")));
        assertThat(Ipv4Picker.lowestFree(net, ip("192.168.1.1"), excluded, Set.of()))
                .hasValue(ip("192.168.1.4"));
        assertThat(Ipv4Picker.lowestFree(net, ip("192.168.1.1"), excluded, Set.of(ip("192.168.1.4"), ip("192.168.1.5"))))
                .hasValue(ip("192.168.1.6"));
        assertThat(Ipv4Picker.lowestFree(net, ip("192.168.1.1"), excluded,
                Set.of(ip("192.168.1.4"), ip("192.168.1.5"), ip("192.168.1.6")))).isEmpty();
    }

    @Test
    void overlappingAndUnsortedRangesAreAllSkipped() {
        Ipv4Network net = Ipv4Network.parse("cidr", "10.0.0.0/24");
        var excluded = List.of(new Ipv4Picker.Range(ip("10.0.0.10"), ip("10.0.0.20")),
                new Ipv4Picker.Range(ip("10.0.0.2"), ip("10.0.0.12")),
                new Ipv4Picker.Range(ip("10.0.0.21"), ip("10.0.0.21")));
        assertThat(Ipv4Picker.lowestFree(net, ip("10.0.0.1"), excluded, Set.of())).hasValue(ip("10.0.0.22"));
    }

    @Test
    void gatewayAtTheTopOfTheNetworkIsSkippedToo() {
        Ipv4Network net = Ipv4Network.parse("cidr", "10.0.0.0/30"); // hosts .1 and .2
        assertThat(Ipv4Picker.lowestFree(net, ip("10.0.0.1"), List.of(), Set.of())).hasValue(ip("10.0.0.2"));
        assertThat(Ipv4Picker.lowestFree(net, ip("10.0.0.2"), List.of(), Set.of(ip("10.0.0.1")))).isEmpty();
    }

    @Test
    void randomisedNeverPicksAForbiddenAddress() {
        SplittableRandom r = new SplittableRandom(42);
        Ipv4Network net = Ipv4Network.parse("cidr", "172.16.4.0/26");
        for (int i = 0; i < 2000; i++) {
            long gw = net.network() + 1 + r.nextInt(62);
            long a = net.network() + r.nextInt(64);
            long b = Math.min(net.broadcast(), a + r.nextInt(10));
            var excluded = List.of(new Ipv4Picker.Range(a, b));
            Set<Long> used = new java.util.HashSet<>();
            for (int u = 0; u < r.nextInt(60); u++) {
                used.add(net.network() + 1 + r.nextInt(62));
            }
            var got = Ipv4Picker.lowestFree(net, gw, excluded, used);
            long expected = -1;
            for (long cand = net.network() + 1; cand < net.broadcast(); cand++) {
                if (cand != gw && !(cand >= a && cand <= b) && !used.contains(cand)) {
                    expected = cand;
                    break;
                }
            }
            if (expected < 0) {
                assertThat(got).isEmpty();
            } else {
                assertThat(got).hasValue(expected);
            }
        }
    }

    @Test
    void parsingNamesTheFieldAndTheProblem() {
        assertThatThrownBy(() -> Ipv4.parse("gateway", "10.0.0.256")).hasMessage("gateway: '10.0.0.256' has an octet above 255");
        assertThatThrownBy(() -> Ipv4Network.parse("network_cidr", "10.0.0.1/24")).hasMessageContaining("host bits set");
        assertThat(Ipv4.format(ip("10.1.2.3"))).isEqualTo("10.1.2.3");
        assertThat(Ipv4Network.parse("c", "10.0.0.0/24").broadcast()).isEqualTo(ip("10.0.0.255"));
    }

    @Test
    void macsAreLocallyAdministeredUnicastWithThePrefix() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 100; i++) {
            String mac = MacAddresses.random(MacAddresses.DEFAULT_PREFIX, r);
            assertThat(mac).matches("02:70:78:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}");
            assertThat(MacAddresses.isLocallyAdministeredUnicast(mac)).isTrue();
        }
        assertThatThrownBy(() -> MacAddresses.checkPrefix("03:00:00")).hasMessageContaining("bit 0x01 clear");
        assertThatThrownBy(() -> MacAddresses.checkPrefix("bc:24:11")).hasMessageContaining("locally administered");
    }
}
