package io.proxplane.core.registry;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.List;
import java.util.Set;

import static io.proxplane.core.registry.Fixtures.K8S;
import static io.proxplane.core.registry.Fixtures.TF;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RepositoryTest {
    static TestDatabase database;
    static Registry registry;

    @BeforeAll
    static void open() {
        database = TestDatabase.create();
        registry = Registry.open(database.config());
    }

    @AfterAll
    static void close() {
        registry.close();
        database.close();
    }

    @Test
    void siteRoundTripsEveryField() {
        SiteSpec spec = new SiteSpec("rt", "rt.example.internal", "10.20.0.0/16", "10.20.0.1", "10.20.200.0",
                "10.20.200.255", List.of(new Ipv4Range("10.20.0.2", "10.20.0.9")), List.of("1.1.1.1", "9.9.9.9"),
                "vmbr1", List.of(new ProxmoxEndpoint("https://pve:8006", "root@pam!px", "secret/pve")), "first-fit",
                JsonNodeFactory.instance.objectNode().set("pve1",
                        JsonNodeFactory.instance.objectNode().put("storage", "fast")));
        Site site = registry.sites().upsert(K8S, spec);
        assertThat(site.spec()).isEqualTo(spec);
        assertThat(site.meta().managedBy()).isEqualTo(K8S);
        assertThat(registry.sites().findByName("rt")).contains(site);
        assertThat(registry.sites().list()).contains(site);
    }

    @Test
    void unchangedUpsertWritesNothingAndChangedUpsertTakesANewRevision() {
        SiteSpec spec = Fixtures.site("idem", "10.1.0.0/24", "10.1.0.1", null, null, List.of());
        Site first = registry.sites().upsert(K8S, spec);
        long head = registry.currentRevision();
        assertThat(first.meta().revision()).isLessThanOrEqualTo(head);

        Site again = registry.sites().upsert(K8S, spec);
        assertThat(again).isEqualTo(first);
        assertThat(registry.currentRevision()).isEqualTo(head);

        Site changed = registry.sites().upsert(K8S, new SiteSpec(spec.name(), "other.internal", spec.networkCidr(),
                spec.gateway(), null, null, List.of(), List.of(), null, List.of(), null, null));
        assertThat(changed.meta().revision()).isGreaterThan(head);
        assertThat(registry.currentRevision()).isEqualTo(changed.meta().revision());
        assertThat(changed.meta().createdAt()).isEqualTo(first.meta().createdAt());
    }

    @Test
    void writingARowOfAnotherManagerIsRefusedNamingTheManager() {
        Site site = registry.sites().upsert(K8S, Fixtures.site("owned", "10.2.0.0/24", "10.2.0.1", null, null, List.of()));
        assertThatThrownBy(() -> registry.sites().upsert(TF,
                Fixtures.site("owned", "10.2.0.0/24", "10.2.0.1", null, null, List.of())))
                .isInstanceOf(OwnershipConflictException.class)
                .hasMessageContaining("site 'owned' is managed by k8s:team-a/lab")
                .satisfies(e -> assertThat(((OwnershipConflictException) e).currentManager()).isEqualTo(K8S));
        assertThatThrownBy(() -> registry.sites().delete(TF, site.id()))
                .isInstanceOf(OwnershipConflictException.class);

        Container ct = registry.containers().upsert(K8S, Fixtures.container(site.id(), "mine"));
        assertThatThrownBy(() -> registry.containers().upsert(TF, Fixtures.container(site.id(), "mine")))
                .isInstanceOf(OwnershipConflictException.class).hasMessageContaining("container 'mine'");
        assertThatThrownBy(() -> registry.allocators().reserveContainerAddresses(TF, site.id(), ct.id(), Set.of()))
                .isInstanceOf(OwnershipConflictException.class);
        assertThatCode(() -> registry.services().upsert(K8S, ServiceSpec.tcp(ct.id(), "ssh", 22, null)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> registry.services().upsert(TF, ServiceSpec.tcp(ct.id(), "ssh", 22, null)))
                .isInstanceOf(OwnershipConflictException.class).hasMessageContaining("service 'ssh'");
        registry.users().upsert(TF, user("bob", null));
        assertThatThrownBy(() -> registry.users().upsert(K8S, user("bob", null)))
                .isInstanceOf(OwnershipConflictException.class).hasMessageContaining("is managed by terraform:prod");
        // untouched by the refused writes
        assertThat(registry.sites().get(site.id()).orElseThrow().meta().managedBy()).isEqualTo(K8S);
        assertThat(registry.users().findByUsername("bob").orElseThrow().meta().managedBy()).isEqualTo(TF);
    }

    @Test
    void everyMutationIsAudited() {
        Site site = registry.sites().upsert(K8S, Fixtures.site("audited", "10.3.0.0/24", "10.3.0.1", null, null, List.of()));
        Container ct = registry.containers().upsert(K8S, Fixtures.container(site.id(), "c1"));
        registry.allocators().reserveContainerAddresses(K8S, site.id(), ct.id(), Set.of());
        registry.containers().recordIntent(K8S, ct.id(), "create", "UPID:pve1:0000A:0001:6500:vzcreate:100:root@pam:");
        registry.allocators().releaseContainerAddresses(K8S, ct.id());
        registry.containers().delete(K8S, ct.id());

        List<AuditEntry> entries = registry.auditLog().forObject("container", ct.id());
        assertThat(entries).extracting(AuditEntry::action)
                .containsExactly("create", "allocate", "update", "release", "delete");
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.actor()).isEqualTo(K8S);
            assertThat(e.revision()).isNotNull();
        });
        assertThat(entries.get(1).detail().has("ipv4")).isTrue();
        // the audit row and the change share the transaction's revision
        assertThat(entries.get(0).revision()).isEqualTo(ct.meta().revision());

        User u = registry.users().upsert(K8S, new UserSpec("carol", null, "Carol", "C", "carol@example.com", null,
                List.of("ssh-ed25519 AAAA carol"), "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA", "active", "push"));
        AuditEntry created = registry.auditLog().forObject("user", u.id()).getFirst();
        assertThat(created.detail().path("password_hash").asText()).isEqualTo("(set)");
    }

    @Test
    void refusedRowsNameTheRule() {
        assertThatThrownBy(() -> registry.sites().upsert(K8S,
                Fixtures.site("badgw", "10.4.0.0/24", "10.5.0.1", null, null, List.of())))
                .isInstanceOf(ConstraintViolationException.class)
                .hasMessageContaining("sites_gateway_in_network");
        assertThatThrownBy(() -> registry.sites().upsert(K8S,
                Fixtures.site("badgw2", "10.4.0.0/24", "10.4.0.255", null, null, List.of())))
                .hasMessageContaining("sites_gateway_in_network");
        assertThatThrownBy(() -> registry.sites().upsert("nobody", Fixtures.site("x", "10.4.0.0/24", "10.4.0.1", null, null, List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("managed_by");
        Site site = registry.sites().upsert(K8S, Fixtures.site("rules", "10.6.0.0/24", "10.6.0.1", null, null, List.of()));
        assertThatThrownBy(() -> registry.containers().upsert(K8S, new ContainerSpec(site.id(), "big", "big", null,
                "debian", new Resources(0, 512, 0, 8), null, null, "running")))
                .hasMessageContaining("containers_resources_valid");
        registry.containers().upsert(K8S, Fixtures.container(site.id(), "host-a"));
        assertThatThrownBy(() -> registry.containers().upsert(K8S, new ContainerSpec(site.id(), "other", "host-a", null,
                "debian", new Resources(1, 512, 0, 8), null, null, "running")))
                .isInstanceOf(ConstraintViolationException.class)
                .hasMessageContaining("containers_site_hostname_unique");
    }

    @Test
    void externalDomainsPoolsGroupsAndMemberships() {
        Site site = registry.sites().upsert(K8S, Fixtures.site("misc", "10.7.0.0/24", "10.7.0.1", null, null, List.of()));
        ExternalDomain d = registry.externalDomains().upsert(K8S, new ExternalDomainSpec("example.com", site.id(),
                JsonNodeFactory.instance.objectNode().put("secret", "example-com-tls"), "https://auth.example.com"));
        assertThat(registry.externalDomains().findByName("example.com")).contains(d);
        assertThatThrownBy(() -> registry.externalDomains().upsert(K8S, new ExternalDomainSpec("bad.com", null, null,
                "https://x\"; include /etc/passwd;")))
                .hasMessageContaining("external_domains_auth_server_url_format");

        Pool pool = registry.pools().upsert(TF, new PoolSpec("research", 10, 40, 65536L, 500L,
                List.of(new AclGrant("devs", null, "PVEVMUser"))));
        assertThat(registry.pools().get(pool.id()).orElseThrow().spec().aclGrants())
                .containsExactly(new AclGrant("devs", null, "PVEVMUser"));
        Container ct = registry.containers().upsert(TF, new ContainerSpec(site.id(), "pooled", null, null, "debian",
                new Resources(1, 512, 0, 8), "alice", pool.id(), null));
        assertThatThrownBy(() -> registry.pools().delete(TF, pool.id())).isInstanceOf(ConstraintViolationException.class);
        registry.containers().delete(TF, ct.id());
        assertThat(registry.pools().delete(TF, pool.id())).isTrue();
        assertThat(registry.pools().get(pool.id())).isEmpty();

        Group admins = registry.groups().upsert(K8S, new GroupSpec("admins", 2000, true));
        Group devs = registry.groups().upsert(K8S, new GroupSpec("devs", null, false));
        assertThat(admins.gid()).isEqualTo(2000);
        assertThat(devs.gid()).isBetween(10000, 59999);
        User dave = registry.users().upsert(K8S, user("dave", null));
        registry.memberships().add(K8S, dave.id(), admins.id());
        registry.memberships().add(K8S, dave.id(), devs.id());
        assertThat(registry.memberships().listByUser(dave.id())).extracting(Membership::groupId)
                .containsExactlyInAnyOrder(admins.id(), devs.id());
        assertThatThrownBy(() -> registry.memberships().remove(TF, dave.id(), devs.id()))
                .isInstanceOf(OwnershipConflictException.class).hasMessageContaining("membership 'dave in devs'");
        assertThat(registry.memberships().remove(K8S, dave.id(), devs.id())).isTrue();
        registry.groups().delete(K8S, admins.id());
        assertThat(registry.memberships().listByUser(dave.id())).isEmpty();
    }

    @Test
    void containerIntentAndObservedStateAndNodePlacement() {
        Site site = registry.sites().upsert(K8S, Fixtures.site("obs", "10.8.0.0/24", "10.8.0.1", null, null, List.of()));
        Container ct = registry.containers().upsert(K8S, Fixtures.container(site.id(), "web"));
        assertThat(ct.observedState()).isEqualTo("unknown");
        ct = registry.containers().recordObserved(K8S, ct.id(), "running", "pve2");
        assertThat(ct.observedState()).isEqualTo("running");
        assertThat(ct.spec().node()).isEqualTo("pve2");
        // a spec without a node keeps the engine's placement
        ct = registry.containers().upsert(K8S, Fixtures.container(site.id(), "web"));
        assertThat(ct.spec().node()).isEqualTo("pve2");
        assertThatThrownBy(() -> registry.containers().recordIntent(K8S, 999_999, "create", null))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void edgeAgentStatus() {
        Site site = registry.sites().upsert(K8S, Fixtures.site("edge", "10.9.0.0/24", "10.9.0.1", null, null, List.of()));
        long head = registry.currentRevision();
        registry.edgeAgents().heartbeat("edge-1", site.id());
        assertThat(registry.currentRevision()).as("heartbeats take no revision").isEqualTo(head);
        EdgeAgentStatus s = registry.edgeAgents().reportApplied("edge-1", site.id(), head);
        assertThat(s.appliedRevision()).isEqualTo(head);
        assertThat(s.appliedAt()).isNotNull();
        s = registry.edgeAgents().reportError("edge-1", site.id(), "nginx -t failed");
        assertThat(s.lastError()).isEqualTo("nginx -t failed");
        assertThat(s.appliedRevision()).as("last good revision kept").isEqualTo(head);
        assertThat(registry.edgeAgents().listBySite(site.id())).hasSize(1);
    }

    @Test
    void siteSnapshotIsConsistentAndNamesItsRevision() {
        Site site = registry.sites().upsert(K8S, Fixtures.site("snap", "10.10.0.0/24", "10.10.0.1", null, null, List.of()));
        ExternalDomain d = registry.externalDomains().upsert(K8S, new ExternalDomainSpec("snap.example.org", null, null, null));
        Container ct = registry.containers().upsert(K8S, Fixtures.container(site.id(), "app"));
        ContainerAddresses a = registry.allocators().reserveContainerAddresses(K8S, site.id(), ct.id(), Set.of());
        registry.services().upsert(K8S, ServiceSpec.http(ct.id(), "web", "app", d.id(), "http", true, 8080));
        registry.services().upsert(K8S, ServiceSpec.tcp(ct.id(), "ssh", 22, 2222));
        registry.services().upsert(K8S, ServiceSpec.dnsSrv(ct.id(), "ldap", "_ldaps._tcp", "tcp", 636));

        SiteSnapshot snap = registry.siteSnapshot(site.id());
        assertThat(snap.revision()).isEqualTo(registry.currentRevision());
        assertThat(snap.site().id()).isEqualTo(site.id());
        assertThat(snap.domains()).extracting(ExternalDomain::name).containsExactly("snap.example.org");
        assertThat(snap.containers()).containsExactly(new SiteSnapshot.ContainerEntry(ct.id(), "app", "app", a.ipv4(),
                a.mac(), null, a.vmid()));
        assertThat(snap.services()).hasSize(3);
        SiteSnapshot.ServiceEntry ssh = snap.services().stream().filter(s -> s.name().equals("ssh")).findFirst().orElseThrow();
        assertThat(ssh.externalPort()).isEqualTo(2222);
        assertThat(ssh.containerIpv4()).isEqualTo(a.ipv4());
        SiteSnapshot.ServiceEntry web = snap.services().stream().filter(s -> s.name().equals("web")).findFirst().orElseThrow();
        assertThat(web.domainName()).isEqualTo("snap.example.org");
        assertThat(web.authRequired()).isTrue();
    }

    @Test
    void retriesAnAllocationRaceButNotADataConflict() {
        Db db = registry.db();
        registry.users().upsert(K8S, user("erin", 30001));
        int[] calls = {0};
        db.write(c -> {
            calls[0]++;
            // First attempt collides on the allocation constraint users_uid_unique, as a racing
            // allocator would; the retry picks another value.
            int uid = calls[0] == 1 ? 30001 : 30002;
            return Db.update(c, "insert into users (managed_by, username, uid) values (?, ?, ?)", K8S, "frank", uid);
        });
        assertThat(calls[0]).isEqualTo(2);
        assertThat(db.attemptsOfLastWrite()).isEqualTo(2);

        calls[0] = 0;
        assertThatThrownBy(() -> db.write(c -> {
            calls[0]++;
            return Db.update(c, "insert into users (managed_by, username, uid) values (?, ?, ?)", K8S, "frank", 30003);
        })).isInstanceOf(ConstraintViolationException.class).hasMessageContaining("users_username_unique");
        assertThat(calls[0]).as("a duplicate name is not retried").isEqualTo(1);
    }

    @Test
    void revisionsAreCommitOrdered() throws Exception {
        // A writer holding its revision blocks the next writer until it commits, so the later
        // commit always carries the larger revision.
        Site site = registry.sites().upsert(K8S, Fixtures.site("order", "10.11.0.0/24", "10.11.0.1", null, null, List.of()));
        try (Connection c = database.connect()) {
            c.setAutoCommit(false);
            Db.update(c, "update sites set bridge = 'vmbr9' where id = ?", site.id());
            long first = Db.queryOne(c, "select revision from sites where id = ?", rs -> rs.getLong(1), site.id()).orElseThrow();
            var other = Thread.ofPlatform().start(() -> registry.pools().upsert(K8S, new PoolSpec("late", null, null, null, null, null)));
            other.join(300);
            assertThat(other.isAlive()).as("second writer waits for the first").isTrue();
            c.commit();
            other.join(10_000);
            assertThat(registry.pools().findByName("late").orElseThrow().meta().revision()).isGreaterThan(first);
        }
    }

    private static UserSpec user(String name, Integer uid) {
        return new UserSpec(name, uid, null, null, null, null, null, null, null, null);
    }
}
