package io.proxplane.core.proxmox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proxplane.core.proxmox.model.AclUpdate;
import io.proxplane.core.proxmox.model.Features;
import io.proxplane.core.proxmox.model.LxcConfig;
import io.proxplane.core.proxmox.model.LxcConfigUpdate;
import io.proxplane.core.proxmox.model.LxcCreateRequest;
import io.proxplane.core.proxmox.model.NetworkInterface;
import io.proxplane.core.proxmox.model.PoolUpdate;
import io.proxplane.core.proxmox.model.RealmSyncOptions;
import io.proxplane.core.proxmox.model.RootFs;
import io.proxplane.core.proxmox.model.UserRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestModelTest {

    @Test
    void createRequestSendsTypedFieldsAsFormValues() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("A", "1");
        env.put("PATH", "/usr/bin:/bin");
        Map<String, String> p = LxcCreateRequest.builder(100, "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst")
                .hostname("web1").cores(2).memory(1024).swap(512).rootfs(RootFs.allocate("local-lvm", 8))
                .net(0, NetworkInterface.dhcp("eth0", "vmbr0")).features(Features.nestingOnly())
                .tags(List.of("web", "prod")).pool("team-a").unprivileged(true).onboot(false).start(true)
                .sshPublicKeys(List.of("ssh-ed25519 AAAA me@host", "ssh-rsa BBBB you@host"))
                .env(env).entrypoint("/docker-entrypoint.sh nginx").build().toParams();
        assertThat(p).containsEntry("vmid", "100")
                .containsEntry("rootfs", "local-lvm:8")
                .containsEntry("net0", "name=eth0,bridge=vmbr0,ip=dhcp")
                .containsEntry("features", "nesting=1")
                .containsEntry("tags", "web;prod")
                .containsEntry("unprivileged", "1")
                .containsEntry("onboot", "0")
                .containsEntry("start", "1")
                .containsEntry("ssh-public-keys", "ssh-ed25519 AAAA me@host\nssh-rsa BBBB you@host")
                .containsEntry("env", "A=1\0PATH=/usr/bin:/bin")
                .doesNotContainKeys("password", "description", "storage");
    }

    @Test
    void createRequestRejectsBadInputNamingTheField() {
        assertThatThrownBy(() -> LxcCreateRequest.builder(99, "local:vztmpl/x.tar")).hasMessageContaining("vmid");
        assertThatThrownBy(() -> LxcCreateRequest.builder(100, "debian.tar")).hasMessageContaining("ostemplate");
        assertThatThrownBy(() -> LxcCreateRequest.builder(100, "local:vztmpl/x.tar").hostname("web_1"))
                .hasMessageContaining("hostname");
        assertThatThrownBy(() -> LxcCreateRequest.builder(100, "local:vztmpl/x.tar").memory(8)).hasMessageContaining("memory");
        assertThatThrownBy(() -> LxcCreateRequest.builder(100, "local:vztmpl/x.tar").env(Map.of("A-B", "1")).build())
                .hasMessageContaining("env");
        assertThatThrownBy(() -> LxcCreateRequest.builder(100, "local:vztmpl/x.tar").tags(List.of("a b")).build())
                .hasMessageContaining("tags");
    }

    @Test
    void configUpdateCarriesDeleteListAndDigest() {
        Map<String, String> p = LxcConfigUpdate.builder().cores(4).onboot(true).delete("description", "mp0")
                .digest("0123456789abcdef0123456789abcdef01234567").build().toParams();
        assertThat(p).containsExactly(Map.entry("cores", "4"), Map.entry("onboot", "1"),
                Map.entry("delete", "description,mp0"), Map.entry("digest", "0123456789abcdef0123456789abcdef01234567"));
        assertThatThrownBy(() -> LxcConfigUpdate.builder().build()).hasMessageContaining("nothing");
        assertThatThrownBy(() -> LxcConfigUpdate.builder().cores(2).delete("cores").build()).hasMessageContaining("cores");
    }

    @Test
    void configReadsLeniently() {
        LxcConfig c = new LxcConfig(Map.of("cores", "2", "memory", "1024", "onboot", "1", "tags", "prod;web",
                "net0", "name=eth0,bridge=vmbr0,hwaddr=BC:24:11:5A:3E:01,ip=dhcp,type=veth",
                "net2", "name=eth2,bridge=vmbr1,ip=manual", "env", "A=1\0B=x=y", "rootfs", "local-lvm:vm-100-disk-0,size=8G"),
                "abc");
        assertThat(c.cores()).hasValue(2);
        assertThat(c.onboot()).isTrue();
        assertThat(c.unprivileged()).isFalse();
        assertThat(c.tags()).containsExactly("prod", "web");
        assertThat(c.networks()).containsOnlyKeys(0, 2);
        assertThat(c.net(0)).get().extracting(NetworkInterface::hwaddr).isEqualTo("BC:24:11:5A:3E:01");
        assertThat(c.env()).containsExactly(Map.entry("A", "1"), Map.entry("B", "x=y"));
        assertThat(c.rootfs()).get().extracting(RootFs::size).isEqualTo("8G");
        assertThat(c.features().isEmpty()).isTrue();
    }

    @Test
    void poolAclUserAndRealmParameters() {
        assertThat(PoolUpdate.addVms("team-a", List.of(100, 101)).withAllowMove(true).toParams())
                .containsEntry("vms", "100,101").containsEntry("allow-move", "1").doesNotContainKey("delete");
        assertThat(PoolUpdate.removeVms("team-a", List.of(100)).toParams()).containsEntry("delete", "1");
        assertThat(AclUpdate.grantToToken("/vms/100", "PVEVMUser", "alice@pve!t").withPropagate(false).revoke().toParams())
                .containsEntry("tokens", "alice@pve!t").containsEntry("propagate", "0").containsEntry("delete", "1")
                .containsEntry("roles", "PVEVMUser");
        assertThat(UserRequest.builder("alice@pve").password("secret123").groups(List.of("dev")).build().toCreateParams())
                .containsEntry("userid", "alice@pve").containsEntry("groups", "dev").containsEntry("password", "secret123");
        assertThat(UserRequest.builder("alice@pve").groups(List.of("ops")).appendGroups().enable(false).build().toUpdateParams())
                .containsEntry("append", "1").containsEntry("enable", "0").doesNotContainKey("userid");
        assertThatThrownBy(() -> UserRequest.builder("alice")).hasMessageContaining("userid");
        assertThat(RealmSyncOptions.both().withRemoveVanished(List.of("entry", "acl")).withDryRun(true).toParams())
                .containsEntry("scope", "both").containsEntry("remove-vanished", "entry;acl").containsEntry("dry-run", "1");
        assertThat(RealmSyncOptions.both().toParams()).containsEntry("remove-vanished", "none");
    }
}
