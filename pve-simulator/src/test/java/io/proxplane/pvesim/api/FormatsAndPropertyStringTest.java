package io.proxplane.pvesim.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FormatsAndPropertyStringTest {
    static final List<ParamSpec> KEYS = Param.all(
            Param.str("volume").req().defaultKey(), Param.str("mp").req(), Param.bool("backup"), Param.str("size").format("disk-size"));

    @Test
    void namedFormats() {
        assertThat(Formats.check("pve-vmid", "100")).isNull();
        assertThat(Formats.check("pve-vmid", "0100")).isEqualTo("value does not look like a valid VM ID\n");
        assertThat(Formats.check("pve-poolid", "a/b/c")).isNull();
        assertThat(Formats.check("pve-poolid", "a/b/c/d")).isNotNull();
        assertThat(Formats.check("pve-userid", "alice@pve")).isNull();
        assertThat(Formats.check("pve-userid", "alice")).isNotNull();
        assertThat(Formats.check("mac-addr", "BC:24:11:AA:BB:CC")).isNull();
        assertThat(Formats.check("mac-addr", "01:24:11:AA:BB:CC")).isNotNull();
        assertThat(Formats.check("pve-ipv4-config", "dhcp")).isNull();
        assertThat(Formats.check("pve-ipv4-config", "10.0.0.1/33")).isNotNull();
        assertThat(Formats.check("pve-ipv6-config", "fd00::5/64")).isNull();
        assertThat(Formats.check("pve-tag-list", "a;b,c d")).isNull();
        assertThat(Formats.check("email-opt", "")).isNull();
        assertThat(Formats.check("pve-storage-id-list", "local,local-lvm")).isNull();
        assertThat(Formats.check("pve-storage-id", "x")).contains("illegal characters");
        assertThat(Formats.check("dns-name", "web-1.example.com")).isNull();
        assertThat(Formats.check("dns-name", "-web")).isNotNull();
    }

    @Test
    void propertyStringsParseValidateAndPrintCanonically() throws Exception {
        Map<String, String> v = PropertyString.parse("mp0", KEYS, "local-lvm:8,mp=/data,size=8G");
        assertThat(v).containsEntry("volume", "local-lvm:8").containsEntry("mp", "/data");
        assertThat(PropertyString.print(KEYS, Map.of("volume", "local-lvm:vm-1-disk-1", "size", "8G", "mp", "/d", "backup", "1")))
                .isEqualTo("local-lvm:vm-1-disk-1,mp=/d,backup=1,size=8G");
        assertThatThrownBy(() -> PropertyString.parse("mp0", KEYS, "a,b")).hasMessageContaining("duplicate key");
        assertThatThrownBy(() -> PropertyString.parse("mp0", KEYS, "a,foo=1")).hasMessageContaining("invalid key");
        assertThatThrownBy(() -> PropertyString.parse("mp0", KEYS, "a,mp=/x,backup=yes"))
                .hasMessageContaining("mp0.backup: type check ('boolean') failed - got 'yes'");
    }
}
