package io.proxplane.core.engine;

import io.proxplane.core.engine.spec.ContainerServiceSpec;
import io.proxplane.core.engine.spec.ExternalDomainSpec;
import io.proxplane.core.engine.spec.GroupSpec;
import io.proxplane.core.engine.spec.PoolSpec;
import io.proxplane.core.engine.spec.ServiceAccountSpec;
import io.proxplane.core.engine.spec.UserSpec;
import io.proxplane.core.model.ValidationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.proxplane.core.engine.EngineFixture.K8S;
import static io.proxplane.core.engine.EngineFixture.SITE;
import static io.proxplane.core.engine.EngineFixture.TF;
import static io.proxplane.core.engine.EngineFixture.container;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Services, domains, pools, users, groups, and every Proxmox failure kind through fault injection. */
class OtherKindsEngineTest {
    static EngineFixture f;

    @BeforeAll
    static void up() {
        f = new EngineFixture();
        f.site();
    }

    @AfterAll
    static void down() {
        f.close();
    }

    @Test
    void siteAndExternalDomainLifeCycle() {
        var site = f.engine.sites().apply(K8S, EngineFixture.siteSpec(f.sim));
        assertThat(site.actions()).isEmpty();
        assertThat(site.status().onlineNodes()).containsExactly("pve1", "pve2", "pve3");
        // node addresses for the site's DNS, from /cluster/status
        assertThat(f.engine.registry().siteNodes().list(site.status().id()))
                .extracting(n -> n.name() + "=" + n.ipv4()).containsExactly("pve1=127.0.0.1", "pve2=127.0.0.2", "pve3=127.0.0.3");
        long revision = f.engine.registry().currentRevision();
        f.engine.sites().apply(K8S, EngineFixture.siteSpec(f.sim));
        assertThat(f.engine.registry().currentRevision()).as("unchanged nodes write nothing").isEqualTo(revision);
        var d = f.engine.externalDomains().apply(K8S, new ExternalDomainSpec("apps.example.com", SITE,
                Map.of("acmeEmail", "ops@example.com"), "https://auth.example.com/"));
        assertThat(d.actions()).extracting(Action::verb).containsExactly("register");
        assertThat(f.engine.externalDomains().apply(K8S, new ExternalDomainSpec("apps.example.com", SITE,
                Map.of("acmeEmail", "ops@example.com"), "https://auth.example.com/")).actions()).isEmpty();
        assertThatThrownBy(() -> new ExternalDomainSpec("x.example.com", null, Map.of("certificateFile", "-----BEGIN CERTIFICATE-----"), null))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("tlsSource.certificateFile"));
        assertThat(f.engine.externalDomains().delete(TF, "nope.example.com").actions()).isEmpty();
        assertThatThrownBy(() -> f.engine.externalDomains().delete(TF, "apps.example.com"))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(EngineException.Kind.OWNERSHIP));
    }

    @Test
    void servicesAllocateHostnamesAndPorts() {
        f.engine.externalDomains().apply(K8S, new ExternalDomainSpec("svc.example.com", SITE, Map.of(), null));
        f.engine.containers().apply(K8S, container("svc1").build());
        var http = f.engine.services().apply(K8S, ContainerServiceSpec.http(SITE, "svc1", "web",
                new ContainerServiceSpec.Http("www", "svc.example.com", "http", true, 8080)));
        assertThat(http.status().fqdn()).isEqualTo("www.svc.example.com");
        assertThat(http.status().url()).isEqualTo("https://www.svc.example.com/");
        var tcp = f.engine.services().apply(K8S, ContainerServiceSpec.tcp(SITE, "svc1", "ssh", 22, null));
        var udp = f.engine.services().apply(K8S, ContainerServiceSpec.udp(SITE, "svc1", "dns", 53, null));
        assertThat(tcp.status().externalPort()).isBetween(2000, 65535);
        assertThat(udp.status().externalPort()).isBetween(2000, 65535);
        // the port listens on the edge: no URL names the container; the site's edge address, once set
        assertThat(tcp.status().url()).isNull();
        var base = EngineFixture.siteSpec(f.sim);
        f.engine.sites().apply(K8S, new io.proxplane.core.engine.spec.SiteSpec(base.name(), base.dnsDomain(), base.networkCidr(),
                base.gateway(), base.dhcpStart(), base.dhcpEnd(), base.dnsForwarders(), base.bridge(), base.proxmoxEndpoints(),
                base.placementPolicy(), base.nodeOverrides(), "edge.lab.example.com"));
        assertThat(f.engine.services().observe(SITE, "svc1", "ssh").orElseThrow().url())
                .isEqualTo("tcp://edge.lab.example.com:" + tcp.status().externalPort());
        assertThat(f.engine.services().observe(SITE, "svc1", "dns").orElseThrow().url())
                .isEqualTo("udp://edge.lab.example.com:" + udp.status().externalPort());
        f.engine.sites().apply(K8S, base);
        var srv = f.engine.services().apply(K8S, ContainerServiceSpec.dnsSrv(SITE, "svc1", "mc",
                new ContainerServiceSpec.DnsSrv("minecraft", "tcp", 25565)));
        assertThat(srv.status().srvName()).isEqualTo("_minecraft._tcp");
        assertThat(srv.status().fqdn()).isEqualTo("_minecraft._tcp.lab.internal");
        // idempotent, and the allocated port is kept
        assertThat(f.engine.services().apply(K8S, ContainerServiceSpec.tcp(SITE, "svc1", "ssh", 22, null)).actions()).isEmpty();
        // a requested port held by another service is refused with the holder named
        f.engine.containers().apply(K8S, container("svc2").build());
        assertThatThrownBy(() -> f.engine.services().apply(K8S, ContainerServiceSpec.tcp(SITE, "svc2", "ssh", 22,
                tcp.status().externalPort()))).isInstanceOfSatisfying(EngineException.class, e -> {
            assertThat(e.kind()).isEqualTo(EngineException.Kind.CONFLICT);
            assertThat(e.getMessage()).contains("svc1");
        });
        assertThatThrownBy(() -> f.engine.services().apply(TF, ContainerServiceSpec.tcp(SITE, "svc1", "ssh", 22, null)))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(EngineException.Kind.OWNERSHIP));
        assertThat(f.engine.services().delete(K8S, SITE, "svc1", "ssh").actions()).extracting(Action::verb).containsExactly("release");
        assertThat(f.engine.services().observe(SITE, "svc1", "ssh")).isEmpty();
        // the port is free again
        assertThat(f.engine.services().apply(K8S, ContainerServiceSpec.tcp(SITE, "svc2", "ssh", 22,
                tcp.status().externalPort())).status().externalPort()).isEqualTo(tcp.status().externalPort());
        // deleting the container releases its services too
        f.engine.containers().delete(K8S, SITE, "svc1");
        f.engine.containers().delete(K8S, SITE, "svc2");
        assertThat(f.engine.registry().services().listBySite(siteId())).isEmpty();
        assertThatThrownBy(() -> ContainerServiceSpec.tcp(SITE, "svc1", "x", 70000, null))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("internalPort"));
    }

    @Test
    void poolsMirrorMembersAndGrantsIntoProxmox() {
        f.engine.groups().apply(K8S, new GroupSpec("devs", null, List.of(), false));
        f.engine.users().apply(K8S, new UserSpec("bob", "Bob", "B", "bob@example.com", null, List.of(), null, null, null, List.of()));
        var grants = List.of(new PoolSpec.AclGrant("devs", null, "PVEVMUser"), new PoolSpec.AclGrant(null, "bob", "PVEAuditor"));
        var p = f.engine.pools().apply(K8S, new PoolSpec("team", new PoolSpec.Quotas(10, 8, 8192L, 100L), grants));
        assertThat(p.actions()).extracting(Action::verb).contains("register", "grant");
        assertThat(f.admin.acl().list()).anyMatch(e -> e.path().equals("/pool/team") && e.ugid().equals("devs") && e.roleid().equals("PVEVMUser"))
                .anyMatch(e -> e.path().equals("/pool/team") && e.ugid().equals("bob@pve"));
        assertThat(f.engine.pools().apply(K8S, new PoolSpec("team", new PoolSpec.Quotas(10, 8, 8192L, 100L), grants)).actions()).isEmpty();
        var c = f.engine.containers().apply(K8S, container("pooled").pool("team").build()).status();
        // a member removed by hand comes back; a grant dropped from the spec is revoked
        f.admin.pools().update(io.proxplane.core.proxmox.model.PoolUpdate.removeVms("team", List.of(c.vmid())));
        var again = f.engine.pools().apply(K8S, new PoolSpec("team", null, grants.subList(0, 1)));
        assertThat(again.actions()).extracting(Action::verb).contains("add-members", "revoke");
        assertThat(f.admin.pools().get("team").members()).extracting(m -> m.vmid()).contains(c.vmid());
        assertThat(f.admin.acl().list()).noneMatch(e -> e.path().equals("/pool/team") && e.ugid().equals("bob@pve"));
        assertThat(again.status().containers()).isEqualTo(1);
        assertThatThrownBy(() -> f.engine.pools().delete(K8S, "team"))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(EngineException.Kind.IN_USE));
        f.engine.containers().delete(K8S, SITE, "pooled");
        f.engine.pools().delete(K8S, "team");
        assertThat(f.admin.pools().list()).noneMatch(x -> x.poolid().equals("team"));
        assertThat(f.engine.pools().observe("team")).isEmpty();
    }

    @Test
    void usersAndGroupsWithHashedPasswordsAndMemberships() {
        f.engine.groups().apply(K8S, new GroupSpec("ops", 5000, List.of(), true));
        f.engine.groups().apply(K8S, new GroupSpec("web", null, List.of(), false));
        UserSpec alice = new UserSpec("alice", "Alice", "A", "alice@example.com", "/bin/zsh", List.of("ssh-ed25519 AAAA alice"),
                "correct horse battery", UserSpec.Status.ACTIVE, UserSpec.TwoFactorMode.PUSH, List.of("ops"));
        var r = f.engine.users().apply(K8S, alice);
        assertThat(r.status().groups()).containsExactly("ops");
        assertThat(r.status().uid()).isGreaterThanOrEqualTo(1000);
        String hash = f.engine.registry().users().findByUsername("alice").orElseThrow().spec().passwordHash();
        assertThat(hash).startsWith("$argon2id$v=19$");
        assertThat(PasswordHasher.verify("correct horse battery", hash)).isTrue();
        assertThat(PasswordHasher.verify("wrong", hash)).isFalse();
        assertThat(alice.toString()).doesNotContain("correct horse");
        // same password: no new hash, no change
        assertThat(f.engine.users().apply(K8S, alice).actions()).isEmpty();
        // suspend, move groups, change password
        UserSpec changed = new UserSpec("alice", "Alice", "A", "alice@example.com", "/bin/zsh", List.of(), "another secret pw",
                UserSpec.Status.SUSPENDED, UserSpec.TwoFactorMode.NONE, List.of("web"));
        var c = f.engine.users().apply(K8S, changed);
        assertThat(c.actions()).extracting(Action::verb).contains("update", "leave", "join");
        assertThat(c.status().status()).isEqualTo("suspended");
        assertThat(c.status().groups()).containsExactly("web");
        assertThat(PasswordHasher.verify("another secret pw",
                f.engine.registry().users().findByUsername("alice").orElseThrow().spec().passwordHash())).isTrue();
        // group side: members
        var g = f.engine.groups().apply(K8S, new GroupSpec("ops", 5000, List.of("alice"), true));
        assertThat(g.status().members()).containsExactly("alice");
        assertThat(g.status().gid()).isEqualTo(5000);
        assertThatThrownBy(() -> f.engine.groups().apply(K8S, new GroupSpec("ops", 5000, List.of("nobody"), true)))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.getMessage()).contains("members[0]"));
        assertThatThrownBy(() -> f.engine.users().apply(TF, changed))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(EngineException.Kind.OWNERSHIP));
        assertThatThrownBy(() -> new UserSpec("Bad Name", null, null, null, null, null, null, null, null, null))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("username"));
        f.engine.users().delete(K8S, "alice");
        assertThat(f.engine.groups().observe("ops").orElseThrow().members()).isEmpty();
        f.engine.groups().delete(K8S, "ops");
        assertThat(f.engine.groups().observe("ops")).isEmpty();
    }

    @Test
    void primaryGroupIsThePrivateGroupUnlessOneIsChosen() {
        // a group first, then a user: their numbers must not meet (issue 13: gid = uid was the group's gid)
        var staff = f.engine.groups().apply(K8S, new GroupSpec("staff", null, List.of(), false)).status();
        var carol = f.engine.users().apply(K8S, new UserSpec("carol", null, null, null, null, List.of(), null, null, null,
                List.of("staff"))).status();
        assertThat(carol.privateGid()).isEqualTo(carol.uid()).isNotEqualTo(staff.gid());
        assertThat(carol.gid()).as("primary gid: the private group").isEqualTo(carol.privateGid());
        assertThat(carol.primaryGroup()).isNull();
        // a later group never takes the user's private gid
        var later = f.engine.groups().apply(K8S, new GroupSpec("later", null, List.of(), false)).status();
        assertThat(later.gid()).isNotEqualTo(carol.privateGid());
        assertThatThrownBy(() -> f.engine.groups().apply(K8S, new GroupSpec("taken", carol.privateGid(), List.of(), false)))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.getMessage())
                        .startsWith("gid " + carol.privateGid() + " is held by the private group of user 'carol'"));
        // nor the user's name: that is its private group's name
        assertThatThrownBy(() -> f.engine.groups().apply(K8S, new GroupSpec("carol", null, List.of(), false)))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(EngineException.Kind.CONFLICT));

        // an explicit primary group
        var chosen = f.engine.users().apply(K8S, new UserSpec("carol", null, null, null, null, List.of(), null, null, null,
                List.of("staff"), "staff")).status();
        assertThat(chosen.gid()).isEqualTo(staff.gid());
        assertThat(chosen.primaryGroup()).isEqualTo("staff");
        assertThat(chosen.privateGid()).as("kept").isEqualTo(carol.privateGid());
        assertThatThrownBy(() -> f.engine.groups().delete(K8S, "staff"))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.kind()).isEqualTo(EngineException.Kind.IN_USE);
                    assertThat(e.getMessage()).startsWith("group 'staff' is the primary group of user(s) carol");
                });
        assertThatThrownBy(() -> f.engine.users().apply(K8S, new UserSpec("carol", null, null, null, null, List.of(), null,
                null, null, List.of(), "nosuch")))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.getMessage()).startsWith("primaryGroup: group 'nosuch'"));
        assertThatThrownBy(() -> new UserSpec("carol", null, null, null, null, List.of(), null, null, null, List.of(), "carol"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("primaryGroup"));
        // back to the private group; then the group may go
        assertThat(f.engine.users().apply(K8S, new UserSpec("carol", null, null, null, null, List.of(), null, null, null,
                List.of())).status().gid()).isEqualTo(carol.privateGid());
        f.engine.groups().delete(K8S, "staff");
        f.engine.groups().delete(K8S, "later");
        f.engine.users().delete(K8S, "carol");
    }

    @Test
    void serviceAccountsKeepOnlyAHashAndNeedAPasswordToStart() {
        var claim = io.proxplane.core.registry.Claim.asManager(K8S);
        assertThatThrownBy(() -> f.engine.serviceAccounts().apply(claim, new ServiceAccountSpec("ct-104", null, null)))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.kind()).isEqualTo(EngineException.Kind.INVALID_SPEC);
                    assertThat(e.getMessage()).contains("password");
                });
        var spec = new ServiceAccountSpec("ct-104", "lookups of container 104", "a-long-service-secret");
        assertThat(spec.toString()).doesNotContain("a-long-service-secret");
        var r = f.engine.serviceAccounts().apply(claim, spec);
        assertThat(r.actions()).extracting(Action::verb).containsExactly("register");
        String hash = f.engine.registry().serviceAccounts().findByName("ct-104").orElseThrow().spec().passwordHash();
        assertThat(PasswordHasher.verify("a-long-service-secret", hash)).isTrue();
        assertThat(f.engine.serviceAccounts().apply(claim, spec).actions()).as("same password: unchanged").isEmpty();
        assertThat(f.engine.serviceAccounts().apply(claim, new ServiceAccountSpec("ct-104", "renamed", null)).actions())
                .extracting(Action::verb).containsExactly("update");
        assertThat(f.engine.registry().serviceAccounts().findByName("ct-104").orElseThrow().spec().passwordHash())
                .as("no password given: kept").isEqualTo(hash);
        assertThatThrownBy(() -> f.engine.serviceAccounts().apply(io.proxplane.core.registry.Claim.asManager(TF), spec))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(EngineException.Kind.OWNERSHIP));
        assertThatThrownBy(() -> new ServiceAccountSpec("ct-104", null, "short"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("password"));
        assertThatThrownBy(() -> new ServiceAccountSpec("CT 104", null, null))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("name"));
        f.engine.serviceAccounts().delete(claim, "ct-104");
        assertThat(f.engine.serviceAccounts().observe("ct-104")).isEmpty();
    }

    @Test
    void transientFailuresAreRetriedAndTheRestAreTypedWithAnAction() {
        // 503 before the handler: retried by the client, the create goes through
        f.sim.faults().failNext("POST", "/nodes/[^/]+/lxc", 1, 503, "Service Unavailable");
        assertThat(f.engine.containers().apply(K8S, container("flaky").node("pve1").build()).status().state()).isEqualTo("running");

        // failed create task: typed, and the next apply (fault gone) succeeds with the same reservation
        f.sim.faults().failTask("vzcreate", null, "unable to create CT - storage full");
        assertThatThrownBy(() -> f.engine.containers().apply(K8S, container("broken").build()))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.kind()).isEqualTo(EngineException.Kind.PROXMOX_TASK_FAILED);
                    assertThat(e.userAction()).contains("task log");
                });
        f.sim.faults().clear();
        Integer vmid = f.engine.registry().containers().findByName(siteId(), "broken").orElseThrow().vmid();
        assertThat(f.engine.containers().apply(K8S, container("broken").build()).status().vmid()).isEqualTo(vmid);

        // permission denied
        f.sim.faults().failNext("GET", "/nodes/[^/]+/lxc/\\d+/config", 1, 403, "Permission check failed (/vms/" + vmid + ", VM.Audit)");
        assertThatThrownBy(() -> f.engine.containers().apply(K8S, container("broken").cores(2).build()))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(EngineException.Kind.PROXMOX_PERMISSION));
        // authentication
        f.sim.faults().failNext("GET", "/cluster/resources", 1, 401, "authentication failure");
        assertThatThrownBy(() -> f.engine.observeSite(SITE))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(EngineException.Kind.PROXMOX_AUTHENTICATION));
        // lock held longer than the engine's bounded retries
        f.sim.faults().holdLock(vmid, "backup");
        assertThatThrownBy(() -> f.engine.containers().apply(K8S, container("broken").cores(2).build()))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.kind()).isEqualTo(EngineException.Kind.PROXMOX_LOCKED);
                    assertThat(e.retryable()).isTrue();
                });
        f.sim.admin().unlock(vmid);
        // an unreachable Proxmox (596 on every try)
        f.sim.faults().failNext("GET", "/cluster/resources", 20, 503, "Service Unavailable");
        assertThatThrownBy(() -> f.engine.observeSite(SITE))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(EngineException.Kind.PROXMOX_UNAVAILABLE));
        f.sim.faults().clear();
        // the config changed between our read and our write: read again and write again
        f.sim.faults().failNext("PUT", "/nodes/[^/]+/lxc/\\d+/config", 1, 500,
                "detected modified configuration - file changed by other user? Try again.");
        var retried = f.engine.containers().apply(K8S, container("broken").cores(2).build());
        assertThat(retried.actions()).extracting(Action::verb).contains("update-config");
        // "already exists" on create (another registry took the vmid): another vmid is reserved and used
        f.sim.faults().failNext("POST", "/nodes/[^/]+/lxc", 1, 500, "CT 999 already exists on node 'pve1'");
        var twice = f.engine.containers().apply(K8S, container("twice").build());
        assertThat(twice.status().state()).isEqualTo("running");
        assertThat(twice.actions()).extracting(Action::verb).contains("re-reserve", "create-lxc");
        f.engine.containers().delete(K8S, SITE, "twice");
        // not found while reading the config of a guest that just vanished
        f.sim.faults().failNext("GET", "/nodes/[^/]+/lxc/\\d+/config", 1, 500,
                "Configuration file 'nodes/pve1/lxc/" + vmid + ".conf' does not exist");
        assertThatThrownBy(() -> f.engine.containers().apply(K8S, container("broken").cores(2).build()))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(EngineException.Kind.PROXMOX_ERROR));
        // once the faults are gone everything converges
        assertThat(f.engine.containers().apply(K8S, container("broken").cores(2).build()).status().state()).isEqualTo("running");
        f.engine.containers().delete(K8S, SITE, "broken");
        f.engine.containers().delete(K8S, SITE, "flaky");
        assertThat(f.engine.observeSite(SITE).converged()).isTrue();
    }

    private long siteId() {
        return f.engine.registry().sites().findByName(SITE).orElseThrow().id();
    }

    static Duration seconds(int s) {
        return Duration.ofSeconds(s);
    }
}
