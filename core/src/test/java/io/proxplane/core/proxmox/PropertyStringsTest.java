package io.proxplane.core.proxmox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proxplane.core.proxmox.model.Features;
import io.proxplane.core.proxmox.model.NetworkInterface;
import io.proxplane.core.proxmox.model.RootFs;
import java.util.List;
import org.junit.jupiter.api.Test;

class PropertyStringsTest {

    @Test
    void networkInterfaceRendersCanonically() {
        NetworkInterface nic = NetworkInterface.builder("eth0").bridge("vmbr0").ip("dhcp").firewall(true)
                .hwaddr("BC:24:11:2E:C5:7E").type("veth").tag(20).mtu(1450).rate(12.5).build();
        assertThat(nic.toPropertyString()).isEqualTo(
                "name=eth0,bridge=vmbr0,firewall=1,hwaddr=BC:24:11:2E:C5:7E,ip=dhcp,mtu=1450,rate=12.5,tag=20,type=veth");
        assertThat(NetworkInterface.dhcp("eth0", "vmbr0").toPropertyString()).isEqualTo("name=eth0,bridge=vmbr0,ip=dhcp");
    }

    @Test
    void networkInterfaceRoundTripsWhatProxmoxReturns() {
        String fromServer = "name=eth0,bridge=vmbr0,gw=10.0.0.1,host-managed=1,hwaddr=BC:24:11:5A:3E:01,ip=10.0.0.5/24,"
                + "ip6=auto,link_down=0,trunks=10;20,type=veth";
        NetworkInterface nic = NetworkInterface.parse(fromServer);
        assertThat(nic.hostManaged()).isTrue();
        assertThat(nic.linkDown()).isFalse();
        assertThat(nic.ip()).isEqualTo("10.0.0.5/24");
        assertThat(nic.toPropertyString()).isEqualTo(fromServer);
        assertThat(NetworkInterface.parse("name=eth0,rate=10").toPropertyString()).isEqualTo("name=eth0,rate=10");
    }

    @Test
    void networkInterfaceValidatesFields() {
        assertThatThrownBy(() -> NetworkInterface.builder("eth0").tag(5000).build())
                .hasMessageContaining("net.tag").hasMessageContaining("5000");
        assertThatThrownBy(() -> NetworkInterface.builder("eth 0").build()).hasMessageContaining("net.name");
        assertThatThrownBy(() -> NetworkInterface.builder("eth0").hwaddr("BD:24:11:2E:C5:7E").build())
                .hasMessageContaining("net.hwaddr"); // multicast bit set
        assertThatThrownBy(() -> NetworkInterface.builder("eth0").ip("dhcp,firewall=1").build())
                .hasMessageContaining("net.ip");
        assertThatThrownBy(() -> NetworkInterface.parse("bridge=vmbr0")).hasMessageContaining("net.name");
        assertThatThrownBy(() -> NetworkInterface.parse("name=eth0,tag=x")).hasMessageContaining("net.tag");
    }

    @Test
    void featuresRenderAlphabetically() {
        Features f = Features.nestingOnly().withKeyctl(true).withMount(List.of("nfs", "cifs"));
        assertThat(f.toPropertyString()).isEqualTo("keyctl=1,mount=nfs;cifs,nesting=1");
        assertThat(Features.parse("nesting=1,mount=nfs;cifs,fuse=0")).isEqualTo(
                new Features(true, null, false, null, null, List.of("nfs", "cifs")));
        assertThat(Features.parse(null).isEmpty()).isTrue();
        assertThatThrownBy(() -> Features.NONE.withMount(List.of("nfs;x"))).hasMessageContaining("features.mount");
    }

    @Test
    void rootfsAllocationAndReadBack() {
        assertThat(RootFs.allocate("local-lvm", 8).toPropertyString()).isEqualTo("local-lvm:8");
        assertThat(RootFs.allocate("local-lvm", 8).withMountOptions(List.of("noatime", "nodev")).toPropertyString())
                .isEqualTo("local-lvm:8,mountoptions=noatime;nodev");
        RootFs read = RootFs.parse("local-lvm:vm-100-disk-0,size=8G");
        assertThat(read.volume()).isEqualTo("local-lvm:vm-100-disk-0");
        assertThat(read.storage()).isEqualTo("local-lvm");
        assertThat(read.size()).isEqualTo("8G");
        assertThat(RootFs.parse("volume=local:100/vm-100-disk-0.raw,acl=1,size=4G").toPropertyString())
                .isEqualTo("local:100/vm-100-disk-0.raw,acl=1,size=4G");
        assertThatThrownBy(() -> RootFs.allocate("local-lvm", 0)).hasMessageContaining("rootfs size");
        assertThatThrownBy(() -> RootFs.parse("local:8,mountoptions=sync")).hasMessageContaining("rootfs.mountoptions");
    }
}
