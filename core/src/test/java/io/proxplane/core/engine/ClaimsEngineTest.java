package io.proxplane.core.engine;

import io.proxplane.core.engine.spec.ContainerServiceSpec;
import io.proxplane.core.engine.spec.ContainerSpec;
import io.proxplane.core.engine.spec.ExternalDomainSpec;
import io.proxplane.core.engine.spec.GroupSpec;
import io.proxplane.core.engine.spec.PoolSpec;
import io.proxplane.core.engine.spec.UserSpec;
import io.proxplane.core.registry.Claim;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;
import java.util.Map;

import static io.proxplane.core.engine.EngineFixture.SITE;
import static io.proxplane.core.engine.EngineFixture.TF;
import static io.proxplane.core.engine.EngineFixture.container;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One object, one front-door resource: a second resource declaring an existing object (same
 * manager) is refused before any change, naming the holder; the holder keeps working; taking over
 * is an explicit adoption; deletes by a non-holder are refused; unclaimed (legacy) rows are claimed
 * by the first resource that applies them.
 */
class ClaimsEngineTest {
    static final String A = "terraform:3f2a0000-0000-0000-0000-00000000000a";
    static final String B = "terraform:3f2a0000-0000-0000-0000-00000000000b";
    static EngineFixture f;

    @BeforeAll
    static void up() {
        f = new EngineFixture();
        f.engine.sites().apply(Claim.create(TF, "terraform:site-holder"), EngineFixture.siteSpec(f.sim));
    }

    @AfterAll
    static void down() {
        f.close();
    }

    @Test
    void secondCreateOfAContainerIsRefusedBeforeAnyProxmoxCall() {
        ContainerSpec spec = container("claim1").build();
        var first = f.engine.containers().apply(Claim.create(TF, A), spec);
        var before = f.admin.lxc().config(first.status().node(), first.status().vmid());
        long revision = f.engine.registry().currentRevision();
        long requests = f.requests();

        ContainerSpec bigger = container("claim1").cores(2).memoryMb(512).build();
        refusedNamingHolder(() -> f.engine.containers().apply(Claim.create(TF, B), bigger), "container 'lab/claim1'", A);
        // an APPLY by another resource is refused the same way
        refusedNamingHolder(() -> f.engine.containers().apply(Claim.apply(TF, B), bigger), "container 'lab/claim1'", A);

        assertThat(f.requests()).as("Proxmox requests by the refused applies").isEqualTo(requests);
        assertThat(f.engine.registry().currentRevision()).as("registry revision").isEqualTo(revision);
        assertThat(f.engine.containers().storedSpec(SITE, "claim1")).contains(spec);
        var after = f.admin.lxc().config(first.status().node(), first.status().vmid());
        assertThat(after.cores()).isEqualTo(before.cores());
        assertThat(after.memory()).isEqualTo(before.memory());
        assertThat(row("claim1").meta().claimedBy()).isEqualTo(A);

        // the holder's own create, retried after a lost answer, is idempotent; its update works
        assertThat(f.engine.containers().apply(Claim.create(TF, A), spec).actions()).isEmpty();
        var resized = f.engine.containers().apply(Claim.apply(TF, A), bigger);
        assertThat(f.admin.lxc().config(resized.status().node(), resized.status().vmid()).cores()).hasValue(2);

        // delete by a non-holder: refused, nothing removed
        refusedNamingHolder(() -> f.engine.containers().delete(Claim.apply(TF, B), SITE, "claim1"), "container 'lab/claim1'", A);
        assertThat(f.admin.cluster().resources()).anyMatch(r -> first.status().vmid().equals(r.vmid()));

        // adoption takes it over: the old holder is refused from then on
        f.engine.containers().apply(Claim.adopt(TF, B), bigger);
        assertThat(row("claim1").meta().claimedBy()).isEqualTo(B);
        refusedNamingHolder(() -> f.engine.containers().apply(Claim.apply(TF, A), bigger), "container 'lab/claim1'", B);
        f.engine.containers().delete(Claim.apply(TF, B), SITE, "claim1");
        assertThat(f.admin.cluster().resources()).noneMatch(r -> first.status().vmid().equals(r.vmid()));
    }

    @Test
    void anotherManagerIsStillRefusedWithOwnershipEvenWhenAdopting() {
        f.engine.pools().apply(Claim.create(TF, A), new PoolSpec("claims-own", null, List.of()));
        assertThatThrownBy(() -> f.engine.pools().apply(Claim.adopt("terraform:other", B), new PoolSpec("claims-own", null, List.of())))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.kind()).isEqualTo(EngineException.Kind.OWNERSHIP);
                    assertThat(e.holder()).isEqualTo(TF);
                });
        f.engine.pools().delete(Claim.apply(TF, A), "claims-own");
    }

    @Test
    void secondCreateOfAPoolIsRefusedBeforeAnyProxmoxCall() {
        PoolSpec spec = new PoolSpec("claims-pool", new PoolSpec.Quotas(4, null, null, null), List.of());
        f.engine.pools().apply(Claim.create(TF, A), spec);
        long revision = f.engine.registry().currentRevision();
        long requests = f.requests();
        refusedNamingHolder(() -> f.engine.pools().apply(Claim.create(TF, B),
                new PoolSpec("claims-pool", new PoolSpec.Quotas(1, null, null, null), List.of())), "pool 'claims-pool'", A);
        assertThat(f.requests()).isEqualTo(requests);
        assertThat(f.engine.registry().currentRevision()).isEqualTo(revision);
        assertThat(f.engine.registry().pools().findByName("claims-pool").orElseThrow().spec().maxContainers()).isEqualTo(4);
        refusedNamingHolder(() -> f.engine.pools().delete(Claim.apply(TF, B), "claims-pool"), "pool 'claims-pool'", A);
        assertThat(f.admin.pools().get("claims-pool")).isNotNull();
        f.engine.pools().delete(Claim.apply(TF, A), "claims-pool");
    }

    @Test
    void everyOtherKindRefusesASecondCreate() {
        long revision = f.engine.registry().currentRevision();
        refusedNamingHolder(() -> f.engine.sites().apply(Claim.create(TF, B), EngineFixture.siteSpec(f.sim)), "site 'lab'",
                "terraform:site-holder");
        assertThat(f.engine.registry().currentRevision()).isEqualTo(revision);

        ExternalDomainSpec domain = new ExternalDomainSpec("claims.example.com", SITE, Map.of(), null);
        f.engine.externalDomains().apply(Claim.create(TF, A), domain);
        refusedNamingHolder(() -> f.engine.externalDomains().apply(Claim.create(TF, B),
                new ExternalDomainSpec("claims.example.com", SITE, Map.of(), "https://auth.example.com/")),
                "external domain 'claims.example.com'", A);
        assertThat(f.engine.registry().externalDomains().findByName("claims.example.com").orElseThrow().spec().authServerUrl()).isNull();

        f.engine.containers().apply(Claim.create(TF, A), container("claimsvc").build());
        var tcp = ContainerServiceSpec.tcp(SITE, "claimsvc", "ssh", 22, null);
        f.engine.services().apply(Claim.create(TF, A), tcp);
        refusedNamingHolder(() -> f.engine.services().apply(Claim.create(TF, B), ContainerServiceSpec.tcp(SITE, "claimsvc", "ssh", 2222, null)),
                "service 'lab/claimsvc/ssh'", A);
        refusedNamingHolder(() -> f.engine.services().delete(Claim.apply(TF, B), SITE, "claimsvc", "ssh"), "service 'lab/claimsvc/ssh'", A);

        UserSpec user = user("claimuser", "Ada");
        f.engine.users().apply(Claim.create(TF, A), user);
        long userRevision = f.engine.registry().currentRevision();
        refusedNamingHolder(() -> f.engine.users().apply(Claim.create(TF, B), user("claimuser", "Eve")),
                "user 'claimuser'", A);
        assertThat(f.engine.registry().currentRevision()).isEqualTo(userRevision);
        assertThat(f.engine.registry().users().findByUsername("claimuser").orElseThrow().spec().givenName()).isEqualTo("Ada");
        refusedNamingHolder(() -> f.engine.users().delete(Claim.apply(TF, B), "claimuser"), "user 'claimuser'", A);

        f.engine.groups().apply(Claim.create(TF, A), new GroupSpec("claimgroup", null, List.of(), false));
        refusedNamingHolder(() -> f.engine.groups().apply(Claim.create(TF, B), new GroupSpec("claimgroup", null, List.of(), true)),
                "group 'claimgroup'", A);
        assertThat(f.engine.registry().groups().findByName("claimgroup").orElseThrow().spec().admin()).isFalse();
        refusedNamingHolder(() -> f.engine.groups().delete(Claim.apply(TF, B), "claimgroup"), "group 'claimgroup'", A);

        f.engine.groups().delete(Claim.apply(TF, A), "claimgroup");
        f.engine.users().delete(Claim.apply(TF, A), "claimuser");
        f.engine.services().delete(Claim.apply(TF, A), SITE, "claimsvc", "ssh");
        f.engine.containers().delete(Claim.apply(TF, A), SITE, "claimsvc");
        f.engine.externalDomains().delete(Claim.apply(TF, A), "claims.example.com");
    }

    @Test
    void unclaimedLegacyRowsAreClaimedByTheFirstApply() {
        // written the way rows were before claims: by the manager as a whole
        f.engine.users().apply(TF, user("legacy", null));
        f.engine.pools().apply(TF, new PoolSpec("legacy-pool", null, List.of()));
        assertThat(f.engine.registry().users().findByUsername("legacy").orElseThrow().meta().claimedBy()).isNull();

        // a create is refused: it is someone's object, to be imported
        assertThatThrownBy(() -> f.engine.users().apply(Claim.create(TF, A), user("legacy", null)))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.kind()).isEqualTo(EngineException.Kind.CONFLICT);
                    assertThat(e.getMessage()).contains("user 'legacy' already exists").contains("import it");
                });

        // the first APPLY claims it, even when nothing else changes; another resource is refused from then on
        long revision = f.engine.registry().currentRevision();
        f.engine.users().apply(Claim.apply(TF, A), user("legacy", null));
        f.engine.pools().apply(Claim.apply(TF, A), new PoolSpec("legacy-pool", null, List.of()));
        assertThat(f.engine.registry().currentRevision()).isGreaterThan(revision);
        assertThat(f.engine.registry().users().findByUsername("legacy").orElseThrow().meta().claimedBy()).isEqualTo(A);
        assertThat(f.engine.registry().pools().findByName("legacy-pool").orElseThrow().meta().claimedBy()).isEqualTo(A);
        refusedNamingHolder(() -> f.engine.users().apply(Claim.apply(TF, B), user("legacy", null)), "user 'legacy'", A);

        // re-applying by the holder writes nothing
        long claimed = f.engine.registry().currentRevision();
        f.engine.users().apply(Claim.apply(TF, A), user("legacy", null));
        assertThat(f.engine.registry().currentRevision()).isEqualTo(claimed);

        // an unclaimed row may be deleted by any resource of its manager
        f.engine.groups().apply(TF, new GroupSpec("legacy-group", null, List.of(), false));
        f.engine.groups().delete(Claim.apply(TF, B), "legacy-group");
        assertThat(f.engine.registry().groups().findByName("legacy-group")).isEmpty();

        f.engine.users().delete(Claim.apply(TF, A), "legacy");
        f.engine.pools().delete(Claim.apply(TF, A), "legacy-pool");
    }

    private static UserSpec user(String name, String givenName) {
        return new UserSpec(name, givenName, null, null, null, List.of(), null, null, null, List.of());
    }

    private static io.proxplane.core.registry.Container row(String name) {
        long site = f.engine.registry().sites().findByName(SITE).orElseThrow().id();
        return f.engine.registry().containers().findByName(site, name).orElseThrow();
    }

    private static void refusedNamingHolder(Executable call, String object, String holder) {
        assertThatThrownBy(call::execute).isInstanceOfSatisfying(EngineException.class, e -> {
            assertThat(e.kind()).isEqualTo(EngineException.Kind.CONFLICT);
            assertThat(e.holder()).isEqualTo(holder);
            assertThat(e.getMessage()).contains(object + " already exists and belongs to another resource")
                    .contains(holder).contains("import it to manage it from here, or choose another name");
        });
    }
}
