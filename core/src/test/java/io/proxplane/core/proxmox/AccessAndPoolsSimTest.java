package io.proxplane.core.proxmox;

import static io.proxplane.core.proxmox.SimClients.NODE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proxplane.core.proxmox.error.AlreadyExistsException;
import io.proxplane.core.proxmox.error.NotFoundException;
import io.proxplane.core.proxmox.model.AclEntry;
import io.proxplane.core.proxmox.model.AclUpdate;
import io.proxplane.core.proxmox.model.DestroyOptions;
import io.proxplane.core.proxmox.model.Group;
import io.proxplane.core.proxmox.model.Pool;
import io.proxplane.core.proxmox.model.PoolUpdate;
import io.proxplane.core.proxmox.model.Role;
import io.proxplane.core.proxmox.model.User;
import io.proxplane.core.proxmox.model.UserRequest;
import io.proxplane.pvesim.PveSimulator;
import io.proxplane.pvesim.junit.PveSimulatorExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PveSimulatorExtension.class)
class AccessAndPoolsSimTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static ProxmoxClient pve;

    @BeforeAll
    static void connect(PveSimulator sim) {
        pve = SimClients.rootClient(sim);
    }

    @AfterAll
    static void close() {
        pve.close();
    }

    @Test
    void poolsTrackMembersFromCreateUpdateAndDestroy() {
        pve.pools().create("team-a", "team A");
        pve.pools().create("team-b", null);
        assertThatThrownBy(() -> pve.pools().create("team-a", null)).isInstanceOf(AlreadyExistsException.class);
        assertThat(pve.pools().list()).extracting(Pool::poolid).contains("team-a", "team-b");

        int vmid = pve.cluster().nextId();
        pve.tasks().await(pve.lxc().create(NODE, SimClients.container(vmid).pool("team-a").build()), WAIT);
        assertThat(pve.pools().get("team-a").members()).extracting(Pool.Member::vmid).containsExactly(vmid);

        pve.pools().update(PoolUpdate.addVms("team-b", List.of(vmid)).withAllowMove(true).withComment("team B"));
        assertThat(pve.pools().get("team-a").members()).isEmpty();
        Pool b = pve.pools().get("team-b");
        assertThat(b.comment()).isEqualTo("team B");
        assertThat(b.members()).extracting(Pool.Member::vmid).containsExactly(vmid);

        pve.tasks().await(pve.lxc().destroy(NODE, vmid, DestroyOptions.defaults().withPurge(true)), WAIT);
        assertThat(pve.pools().get("team-b").members()).isEmpty();
        pve.pools().delete("team-a");
        pve.pools().delete("team-b");
        assertThatThrownBy(() -> pve.pools().get("team-a")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void usersGroupsAclsAndRoles() {
        pve.groups().create("developers", "devs");
        pve.users().create(UserRequest.builder("bob@pve").password("bob-password").email("bob@example.org")
                .groups(List.of("developers")).build());
        assertThatThrownBy(() -> pve.users().create(UserRequest.builder("bob@pve").build()))
                .isInstanceOf(AlreadyExistsException.class);
        User bob = pve.users().get("bob@pve");
        assertThat(bob.email()).isEqualTo("bob@example.org");
        assertThat(bob.groups()).containsExactly("developers");
        assertThat(bob.enable()).isTrue();

        pve.users().update(UserRequest.builder("bob@pve").firstname("Bob").enable(false).build());
        assertThat(pve.users().get("bob@pve").firstname()).isEqualTo("Bob");
        assertThat(pve.users().list(true)).filteredOn(u -> u.userid().equals("bob@pve"))
                .singleElement().satisfies(u -> assertThat(u.enable()).isFalse());

        Group devs = pve.groups().get("developers");
        assertThat(devs.members()).containsExactly("bob@pve");
        pve.groups().update("developers", "developers!");
        assertThat(pve.groups().list()).filteredOn(g -> g.groupid().equals("developers"))
                .singleElement().satisfies(g -> assertThat(g.comment()).isEqualTo("developers!"));

        assertThat(pve.acl().roles()).extracting(Role::roleid).contains("Administrator", "PVEVMUser", "PVEAuditor");
        pve.acl().update(AclUpdate.grantToGroup("/vms", "PVEVMUser", "developers").withPropagate(false));
        assertThat(pve.acl().list()).contains(new AclEntry("/vms", "group", "developers", "PVEVMUser", false));
        pve.acl().update(AclUpdate.grantToGroup("/vms", "PVEVMUser", "developers").revoke());
        assertThat(pve.acl().list()).noneMatch(a -> a.ugid().equals("developers"));

        pve.users().delete("bob@pve");
        pve.groups().delete("developers");
        assertThatThrownBy(() -> pve.users().get("bob@pve")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> pve.groups().get("developers")).isInstanceOf(NotFoundException.class);
    }
}
