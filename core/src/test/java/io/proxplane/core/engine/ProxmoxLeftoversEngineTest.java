package io.proxplane.core.engine;

import io.proxplane.core.engine.spec.ContainerServiceSpec;
import io.proxplane.core.engine.spec.GroupSpec;
import io.proxplane.core.engine.spec.PoolSpec;
import io.proxplane.core.engine.spec.UserSpec;
import io.proxplane.core.proxmox.model.AclEntry;
import io.proxplane.core.proxmox.model.UserRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.proxplane.core.engine.EngineFixture.SITE;
import static io.proxplane.core.engine.EngineFixture.TF;
import static io.proxplane.core.engine.EngineFixture.container;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Deletes leave nothing behind in Proxmox, whatever order the front door deletes in (Terraform
 * destroys in parallel), a failed pool create is rolled back, and the Proxmox users and groups
 * proxplane created go once nothing uses them. A fresh simulator and database per test, so
 * {@link SimulatorAssertions#holdsNothingMadeByProxplane} sees only what the test made.
 */
class ProxmoxLeftoversEngineTest {
    EngineFixture f;

    @BeforeEach
    void up() {
        f = new EngineFixture();
        f.engine.sites().apply(TF, EngineFixture.siteSpec(f.sim));
    }

    @AfterEach
    void down() {
        f.close();
    }

    static UserSpec user(String name) {
        return new UserSpec(name, name, "Test", name + "@example.com", null, List.of(), null, null, null, List.of());
    }

    static final List<PoolSpec.AclGrant> GRANTS = List.of(new PoolSpec.AclGrant("devs", null, "PVEVMUser"),
            new PoolSpec.AclGrant(null, "bob", "PVEAuditor"));

    /** Site, users, group, a pool with grants, a container owned by alice in the pool, a TCP service. */
    private void declareEverything() {
        f.engine.users().apply(TF, user("alice"));
        f.engine.users().apply(TF, user("bob"));
        f.engine.groups().apply(TF, new GroupSpec("devs", null, List.of("alice"), false));
        f.engine.pools().apply(TF, new PoolSpec("team", null, GRANTS));
        f.engine.containers().apply(TF, container("web1").owner("alice").pool("team").build());
        f.engine.services().apply(TF, ContainerServiceSpec.tcp(SITE, "web1", "ssh", 22, null));
        assertThat(f.admin.pools().get("team").members()).hasSize(1);
        assertThat(f.admin.acl().list()).extracting(AclEntry::ugid).contains("devs", "bob@pve", "alice@pve");
        assertThat(SimulatorAssertions.leftovers(f.admin)).isNotEmpty();
    }

    @Test
    void theSiteDeletedBeforeThePoolLeavesNoProxmoxPoolNorGrant() {
        declareEverything();
        f.engine.services().delete(TF, SITE, "web1", "ssh");
        f.engine.containers().delete(TF, SITE, "web1");
        f.engine.sites().delete(TF, SITE);
        // the site row is gone: the pool's delete must still find the cluster it mirrored into
        var deleted = f.engine.pools().delete(TF, "team");
        assertThat(deleted.actions()).extracting(Action::verb).contains("delete-pool", "unregister");
        assertThat(f.admin.pools().list()).noneMatch(p -> p.poolid().equals("team"));
        assertThat(f.admin.acl().list()).noneMatch(e -> e.path().equals("/pool/team"));
        f.engine.users().delete(TF, "alice");
        f.engine.users().delete(TF, "bob");
        f.engine.groups().delete(TF, "devs");
        SimulatorAssertions.holdsNothingMadeByProxplane(f.admin);
    }

    @Test
    void thePoolDeletedBeforeTheSiteLeavesNothingEither() {
        declareEverything();
        f.engine.containers().delete(TF, SITE, "web1"); // its services go with it
        f.engine.groups().delete(TF, "devs");
        f.engine.pools().delete(TF, "team");
        f.engine.users().delete(TF, "bob");
        f.engine.sites().delete(TF, SITE);
        f.engine.users().delete(TF, "alice");
        SimulatorAssertions.holdsNothingMadeByProxplane(f.admin);
        // deleting again finds nothing to do
        assertThat(f.engine.pools().delete(TF, "team").actions()).isEmpty();
    }

    @Test
    void aPoolWhoseAclStepFailsIsRolledBackAndTheNextApplyConvergesFully() {
        f.engine.users().apply(TF, user("bob"));
        f.sim.faults().failNext("PUT", "/access/acl", 1, 500, "simulated ACL failure");
        assertThatThrownBy(() -> f.engine.pools().apply(TF, new PoolSpec("team", null, GRANTS)))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.kind()).isEqualTo(EngineException.Kind.PROXMOX_ERROR);
                    assertThat(e.getMessage()).contains("simulated ACL failure");
                });
        // nothing of the attempt is left: no registry row a later apply could take for a finished pool,
        // no Proxmox pool, no group made for the grant
        assertThat(f.engine.pools().observe("team")).isEmpty();
        assertThat(f.admin.pools().list()).noneMatch(p -> p.poolid().equals("team"));
        SimulatorAssertions.holdsNothingMadeByProxplane(f.admin);

        var again = f.engine.pools().apply(TF, new PoolSpec("team", null, GRANTS));
        assertThat(again.actions()).extracting(Action::verb).contains("register", "create-pool", "grant");
        assertThat(f.admin.acl().list()).anyMatch(e -> e.path().equals("/pool/team") && e.ugid().equals("devs"))
                .anyMatch(e -> e.path().equals("/pool/team") && e.ugid().equals("bob@pve"));
        f.engine.pools().delete(TF, "team");
        f.engine.users().delete(TF, "bob");
        SimulatorAssertions.holdsNothingMadeByProxplane(f.admin);
    }

    @Test
    void aGrantDroppedByAnUpdateThatFailedHalfwayStillLetsItsUserGo() {
        // found by EngineSafetyProperties: the update wrote the row (no grant any more), then the
        // revoke failed; the next apply revokes, but the registry no longer remembered the grant,
        // so bob@pve stayed in Proxmox for good
        f.engine.pools().apply(TF, new PoolSpec("team", null, GRANTS.subList(1, 2)));
        assertThat(f.admin.users().list(false)).extracting(u -> u.userid()).contains("bob@pve");
        f.sim.faults().failNext("PUT", "/access/acl", 1, 500, "simulated ACL failure");
        assertThatThrownBy(() -> f.engine.pools().apply(TF, new PoolSpec("team", null, List.of())))
                .isInstanceOf(EngineException.class);
        f.engine.pools().apply(TF, new PoolSpec("team", null, List.of()));
        assertThat(f.admin.users().list(false)).extracting(u -> u.userid()).doesNotContain("bob@pve");
        f.engine.pools().delete(TF, "team");
        SimulatorAssertions.holdsNothingMadeByProxplane(f.admin);
    }

    @Test
    void whenTheRollbackFailsTooTheNextApplyResumesTheCreateOpenly() {
        f.engine.users().apply(TF, user("bob"));
        f.sim.faults().failNext("PUT", "/access/acl", 1, 500, "simulated ACL failure");
        f.sim.faults().failNext("DELETE", "/pools.*", 1, 500, "simulated pool delete failure");
        assertThatThrownBy(() -> f.engine.pools().apply(TF, new PoolSpec("team", null, GRANTS)))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.getMessage()).contains("simulated ACL failure");
                    assertThat(e.getSuppressed()).singleElement().satisfies(u -> assertThat(u.getMessage())
                            .contains("simulated pool delete failure"));
                });
        // the row stayed, marked: the next apply says it resumes an unfinished create
        assertThat(f.engine.pools().observe("team")).isPresent();
        var resumed = f.engine.pools().apply(TF, new PoolSpec("team", null, GRANTS));
        assertThat(resumed.actions()).extracting(Action::verb).contains("resume", "grant");
        assertThat(f.engine.pools().apply(TF, new PoolSpec("team", null, GRANTS)).actions()).isEmpty();
        f.engine.pools().delete(TF, "team");
        f.engine.users().delete(TF, "bob");
        SimulatorAssertions.holdsNothingMadeByProxplane(f.admin);
    }

    @Test
    void aRollbackRemovesOnlyWhatProxplaneMadeNotAPoolThatWasAlreadyThere() {
        f.admin.pools().create("handmade", "made by an admin");
        f.sim.faults().failNext("PUT", "/access/acl", 1, 500, "simulated ACL failure");
        assertThatThrownBy(() -> f.engine.pools().apply(TF, new PoolSpec("handmade", null, GRANTS.subList(0, 1))))
                .isInstanceOf(EngineException.class);
        assertThat(f.engine.pools().observe("handmade")).isEmpty();
        assertThat(f.admin.pools().list()).anyMatch(p -> p.poolid().equals("handmade"));
        SimulatorAssertions.holdsNothingMadeByProxplane(f.admin);
        // adopted on a successful apply, but a delete still leaves the pool proxplane did not make
        f.engine.pools().apply(TF, new PoolSpec("handmade", null, GRANTS.subList(0, 1)));
        f.engine.pools().delete(TF, "handmade");
        assertThat(f.admin.pools().list()).anyMatch(p -> p.poolid().equals("handmade"));
        assertThat(f.admin.acl().list()).noneMatch(e -> e.path().equals("/pool/handmade"));
        SimulatorAssertions.holdsNothingMadeByProxplane(f.admin);
    }

    @Test
    void proxmoxUsersAndGroupsProxplaneMadeGoOnceNothingUsesThem() {
        f.engine.users().apply(TF, user("alice"));
        f.engine.users().apply(TF, user("bob"));
        f.engine.users().apply(TF, user("carol"));
        // carol@pve was made by an admin: proxplane uses it but never removes it
        f.admin.users().create(UserRequest.builder("carol@pve").comment("made by hand").build());
        var c1 = f.engine.containers().apply(TF, container("c1").owner("alice").build()).status();
        var c2 = f.engine.containers().apply(TF, container("c2").owner("alice").build()).status();
        f.engine.containers().apply(TF, container("c3").owner("carol").build());
        assertThat(userIds()).contains("alice@pve", "carol@pve");

        // alice still owns c2 on this cluster
        f.engine.containers().delete(TF, SITE, "c1");
        assertThat(userIds()).contains("alice@pve");
        // owner change: bob gets the grant, alice's is gone, and so is alice@pve
        var moved = f.engine.containers().apply(TF, container("c2").owner("bob").build());
        assertThat(moved.actions()).extracting(Action::verb).contains("grant", "revoke");
        assertThat(userIds()).contains("bob@pve").doesNotContain("alice@pve");
        assertThat(f.admin.acl().list()).anyMatch(e -> e.path().equals("/vms/" + c2.vmid()) && e.ugid().equals("bob@pve"))
                .noneMatch(e -> e.ugid().equals("alice@pve"));
        assertThat(c1.vmid()).isNotEqualTo(c2.vmid());

        // pool grants: a user and a group made for a grant go when the grant is dropped
        f.engine.groups().apply(TF, new GroupSpec("devs", null, List.of(), false));
        f.engine.pools().apply(TF, new PoolSpec("team", null, List.of(new PoolSpec.AclGrant("devs", null, "PVEVMUser"),
                new PoolSpec.AclGrant(null, "bob", "PVEAuditor"), new PoolSpec.AclGrant(null, "alice", "PVEAuditor"))));
        assertThat(userIds()).contains("alice@pve", "bob@pve");
        assertThat(groupIds()).contains("devs");
        f.engine.pools().apply(TF, new PoolSpec("team", null, List.of(new PoolSpec.AclGrant("devs", null, "PVEVMUser"))));
        assertThat(userIds()).doesNotContain("alice@pve").contains("bob@pve"); // bob still owns c2
        // the group's mirror stays while a grant needs it, and goes with the last grant
        f.engine.groups().delete(TF, "devs");
        assertThat(groupIds()).contains("devs");
        f.engine.pools().delete(TF, "team");
        assertThat(groupIds()).doesNotContain("devs");

        f.engine.containers().delete(TF, SITE, "c2");
        f.engine.containers().delete(TF, SITE, "c3");
        assertThat(userIds()).contains("carol@pve").doesNotContain("bob@pve");
        SimulatorAssertions.holdsNothingMadeByProxplane(f.admin);
    }

    @Test
    void anOwnerThatIsNoUserIsRefusedBeforeAnyChange() {
        long before = f.requests();
        assertThatThrownBy(() -> f.engine.containers().apply(TF, container("web1").owner("nosuchuser").build()))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.kind()).isEqualTo(EngineException.Kind.INVALID_SPEC);
                    assertThat(e.getMessage()).startsWith("owner: ")
                            .contains("user 'nosuchuser' does not exist; create the User first");
                });
        assertThat(f.requests()).as("Proxmox requests").isEqualTo(before);
        long siteId = f.engine.registry().sites().findByName(SITE).orElseThrow().id();
        assertThat(f.engine.registry().containers().findByName(siteId, "web1")).isEmpty();
        assertThat(userIds()).doesNotContain("nosuchuser@pve");
        SimulatorAssertions.holdsNothingMadeByProxplane(f.admin);
    }

    private List<String> userIds() {
        return f.admin.users().list(false).stream().map(u -> u.userid()).toList();
    }

    private List<String> groupIds() {
        return f.admin.groups().list().stream().map(g -> g.groupid()).toList();
    }
}
