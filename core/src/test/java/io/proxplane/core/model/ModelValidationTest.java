package io.proxplane.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelValidationTest {

    @Test
    void dnsLabelNormalisesAsciiCaseAndNamesTheFieldWhenRefused() {
        assertThat(DnsLabel.of("spec.http.hostname", "Web-01").value()).isEqualTo("web-01");
        assertThat(DnsLabel.of("f", "a".repeat(63)).value()).hasSize(63);
        assertThatThrownBy(() -> DnsLabel.of("spec.http.hostname", "a;b"))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("spec.http.hostname");
                    assertThat(e.getMessage()).isEqualTo("field \"spec.http.hostname\": must be a DNS label of 1-63 "
                            + "characters [a-z0-9-], not starting or ending with '-'; got 'a;b'");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-a", "a-", "a_b", "a.b", "a b", "\u212aelvin", "caf\u00e9"})
    void dnsLabelRefuses(String raw) {
        assertThatThrownBy(() -> DnsLabel.of("host", raw)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("field \"host\"");
    }

    @Test
    void dnsLabelRefusesMoreThan63Characters() {
        assertThatThrownBy(() -> DnsLabel.of("host", "a".repeat(64))).hasMessageContaining("1-63 characters");
        assertThatThrownBy(() -> DnsLabel.of("host", "a".repeat(100))).hasMessageContaining("...(100 chars)");
    }

    @Test
    void domainNameIsLowerCasedAndTrailingDotDropped() {
        assertThat(DomainName.of("d", "Cluster.Example.COM.").value()).isEqualTo("cluster.example.com");
        assertThat(DomainName.of("d", "lan").labels()).containsExactly(new DnsLabel("lan"));
        assertThat(DomainName.of("d", "a.b").child(new DnsLabel("web")).value()).isEqualTo("web.a.b");
        assertThat(DomainName.of("d", "x.a.b").isWithin(DomainName.of("d", "a.b"))).isTrue();
        assertThat(DomainName.of("d", "xa.b").isWithin(DomainName.of("d", "a.b"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "a..b", ".a", "a.-b", "a_b.com", "exa mple.com", "example.com..", "*.example.com"})
    void domainNameRefuses(String raw) {
        assertThatThrownBy(() -> DomainName.of("spec.domain", raw)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("field \"spec.domain\"");
    }

    @Test
    void domainNameLengthLimitIs253() {
        String label = "a".repeat(63);
        String ok = label + "." + label + "." + label + "." + "a".repeat(61); // 253
        assertThat(DomainName.of("d", ok).value()).hasSize(253);
        assertThatThrownBy(() -> DomainName.of("d", ok + "a")).hasMessageContaining("at most 253");
    }

    @Test
    void portsAndRanges() {
        assertThat(Port.of("p", 1).value()).isEqualTo(1);
        assertThat(Port.parse("p", "65535").value()).isEqualTo(65535);
        assertThatThrownBy(() -> Port.of("spec.tcp.port", 0)).hasMessage("field \"spec.tcp.port\": must be a port number 1-65535; got 0");
        assertThatThrownBy(() -> Port.of("p", 65536)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Port.parse("p", "80;")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Port.parse("p", "+80")).isInstanceOf(ValidationException.class);
        PortRange range = PortRange.parse("r", "2000-65535");
        assertThat(range.size()).isEqualTo(63536);
        assertThat(range.contains(new Port(1999))).isFalse();
        assertThatThrownBy(() -> PortRange.parse("spec.range", "2000-65565")).hasMessageContaining("spec.range");
        assertThatThrownBy(() -> PortRange.of("spec.range", 3000, 2000)).hasMessageContaining("above");
    }

    @Test
    void ipv4AddressIsStrict() {
        assertThat(Ipv4Address.of("ip", "10.15.0.23").toString()).isEqualTo("10.15.0.23");
        assertThat(Ipv4Address.of("ip", "255.255.255.255").unsigned()).isEqualTo(0xFFFFFFFFL);
        assertThat(Ipv4Address.of("ip", "10.0.0.255").plus(1)).isEqualTo(Ipv4Address.of("ip", "10.0.1.0"));
        for (String bad : new String[] {"", "10.0.0", "10.0.0.0.1", "256.0.0.1", "010.0.0.1", "1.2.3.4 ", "1.2.3.-4", "a.b.c.d", "1..2.3"}) {
            assertThatThrownBy(() -> Ipv4Address.of("spec.ip", bad)).as(bad).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("field \"spec.ip\"");
        }
    }

    @Test
    void cidrRequiresTheNetworkAddress() {
        Ipv4Cidr cidr = Ipv4Cidr.of("site.cidr", "10.15.0.0/24");
        assertThat(cidr.netmask().toString()).isEqualTo("255.255.255.0");
        assertThat(cidr.broadcast().toString()).isEqualTo("10.15.0.255");
        assertThat(cidr.contains(Ipv4Address.of("ip", "10.15.0.99"))).isTrue();
        assertThat(cidr.contains(Ipv4Address.of("ip", "10.15.1.1"))).isFalse();
        assertThat(Ipv4Cidr.of("c", "0.0.0.0/0").contains(Ipv4Address.of("ip", "8.8.8.8"))).isTrue();
        assertThatThrownBy(() -> Ipv4Cidr.of("site.cidr", "10.15.0.5/24"))
                .hasMessage("field \"site.cidr\": host bits are set in 10.15.0.5/24; the network is 10.15.0.0/24");
        for (String bad : new String[] {"10.0.0.0", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/08", "10.0.0/8"}) {
            assertThatThrownBy(() -> Ipv4Cidr.of("site.cidr", bad)).as(bad).hasMessageContaining("site.cidr");
        }
    }

    @Test
    void macAddressIsNormalisedAndUnicast() {
        MacAddress mac = MacAddress.of("mac", "02-00-0A-0F-00-17");
        assertThat(mac.value()).isEqualTo("02:00:0a:0f:00:17");
        assertThat(mac.isLocallyAdministered()).isTrue();
        assertThat(MacAddress.ofBits(mac.bits())).isEqualTo(mac);
        assertThatThrownBy(() -> MacAddress.of("status.mac", "01:00:5e:00:00:01")).hasMessageContaining("unicast");
        for (String bad : new String[] {"02:00:0a:0f:00", "02:00:0a:0f:00:1g", "02:00-0a:0f:00:17", "0200.0a0f.0017"}) {
            assertThatThrownBy(() -> MacAddress.of("status.mac", bad)).as(bad).hasMessageContaining("status.mac");
        }
    }

    @Test
    void httpUrlAcceptsPlainUrlsOnly() {
        HttpUrl url = HttpUrl.of("auth", "HTTPS://Auth.Example.com:8443/oauth2/auth");
        assertThat(url.toString()).isEqualTo("https://auth.example.com:8443/oauth2/auth");
        assertThat(url.effectivePort()).isEqualTo(8443);
        assertThat(HttpUrl.of("auth", "http://10.0.0.1").effectivePort()).isEqualTo(80);
        assertThat(HttpUrl.of("auth", "https://a.b/x%20y/~me").path()).isEqualTo("/x%20y/~me");
        for (String bad : new String[] {"ftp://a.b/", "//a.b/", "https://", "https://a.b/x y", "https://a.b/x;y",
                "https://a.b/$host", "https://a.b/{x}", "https://a.b/\"", "https://a.b/'", "https://a.b/?q=1",
                "https://a.b/#f", "https://user@a.b/", "https://a.b:0/", "https://a.b:99999/", "https://a.b/%zz",
                "https://a.b/x\n}", "https://[::1]/", "https://a.b/\\x"}) {
            assertThatThrownBy(() -> HttpUrl.of("spec.authServer", bad)).as(bad).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("field \"spec.authServer\"");
        }
    }

    @Test
    void srvServiceName() {
        SrvServiceName name = SrvServiceName.of("spec.dnsSrv.name", "_LDAPS._tcp");
        assertThat(name.toString()).isEqualTo("_ldaps._tcp");
        assertThat(name.ownerIn(DomainName.of("d", "c.example"))).isEqualTo("_ldaps._tcp.c.example");
        assertThat(SrvServiceName.of("n", "sip", TransportProtocol.UDP).toString()).isEqualTo("_sip._udp");
        for (String bad : new String[] {"ldaps._tcp", "_ldaps", "_ldaps._sctp", "_123._tcp", "_a-very-long-service-name._tcp",
                "_-x._tcp", "_l;s._tcp", "__x._tcp"}) {
            assertThatThrownBy(() -> SrvServiceName.of("spec.dnsSrv.name", bad)).as(bad)
                    .hasMessageContaining("field \"spec.dnsSrv.name\"");
        }
    }

    @Test
    void uploadSize() {
        assertThat(UploadSize.of("u", "2g").bytes()).isEqualTo(2L << 30);
        assertThat(UploadSize.of("u", "2048M").nginxValue()).isEqualTo("2g");
        assertThat(UploadSize.of("u", "1536k").nginxValue()).isEqualTo("1536k");
        assertThat(UploadSize.of("u", "1000").nginxValue()).isEqualTo("1000");
        assertThat(UploadSize.of("u", "0").nginxValue()).isEqualTo("0");
        for (String bad : new String[] {"", "g", "2t", "-1", "1.5g", "2g;", "1025g"}) {
            assertThatThrownBy(() -> UploadSize.of("spec.maxUpload", bad)).as(bad).hasMessageContaining("spec.maxUpload");
        }
    }

    @Test
    void configPathHeaderNameResourceNameAndProtocols() {
        assertThat(ConfigPath.of("p", "/etc/ssl/certs/example.com.crt").resolve("x").value())
                .isEqualTo("/etc/ssl/certs/example.com.crt/x");
        for (String bad : new String[] {"relative/x", "/a/../b", "/a b", "/a;b", "/a\"b", "/a$b", "/a{b}"}) {
            assertThatThrownBy(() -> ConfigPath.of("spec.tls.certificate", bad)).as(bad).hasMessageContaining("spec.tls.certificate");
        }
        assertThat(HeaderName.of("h", "X-User-ID").variableSuffix()).isEqualTo("x_user_id");
        assertThatThrownBy(() -> HeaderName.of("h", "X User")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> HeaderName.of("h", "1X")).isInstanceOf(ValidationException.class);
        assertThat(ResourceName.of("n", "k8s:team-a/web").value()).isEqualTo("k8s:team-a/web");
        assertThatThrownBy(() -> ResourceName.of("metadata.name", "web\nserver=1.2.3.4")).hasMessageContaining("\\n");
        assertThat(TransportProtocol.of("p", "udp")).isEqualTo(TransportProtocol.UDP);
        assertThatThrownBy(() -> TransportProtocol.of("spec.protocol", "sctp")).hasMessageContaining("spec.protocol");
        assertThat(BackendProtocol.of("p", "https").scheme()).isEqualTo("https");
        assertThatThrownBy(() -> BackendProtocol.of("spec.http.backendProtocol", "ws")).hasMessageContaining("backendProtocol");
    }

    @Test
    void nullIsRequiredNotAnNpe() {
        assertThatThrownBy(() -> DnsLabel.of("spec.hostname", null)).hasMessage("field \"spec.hostname\": is required");
        assertThatThrownBy(() -> Ipv4Address.of("spec.ip", null)).hasMessage("field \"spec.ip\": is required");
    }

    @Test
    void rejectedValuesAreShownEscapedInMessages() {
        assertThatThrownBy(() -> DnsLabel.of("h", "x\n}\u0000"))
                .hasMessageEndingWith("got 'x\\n}\\u0000'");
    }
}
