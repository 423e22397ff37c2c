package io.proxplane.core.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxplane.core.registry.Container;
import io.proxplane.core.registry.ProxmoxEndpoint;
import io.proxplane.core.registry.Resources;
import io.proxplane.core.registry.RowMeta;
import io.proxplane.core.registry.SiteSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pure rules behind shared clusters: the owner tag, who a guest belongs to, overlapping sites. */
class OwnershipRulesTest {
    private static final String ME = "3fa9c1e07b2d";
    /** Proxmox's pve-tag format (pve-common), case-insensitive. */
    private static final Pattern PVE_TAG = Pattern.compile("(?i)[a-z0-9_][a-z0-9_\\-+.]*");

    @Test
    void ownerTagRoundTripsAndIsAValidProxmoxTag() {
        OwnerTag t = new OwnerTag(ME, 7, 42);
        assertThat(t.render()).isEqualTo("pp-3fa9c1e07b2d-7-42").matches(PVE_TAG);
        assertThat(OwnerTag.parse(t.render())).contains(t);
        assertThat(OwnerTag.parse("pp-42")).isEmpty();
        assertThat(OwnerTag.parse("pp-3FA9C1E07B2D-7-42")).as("Proxmox lower-cases tags; we write lower case").isEmpty();
        assertThat(OwnerTag.parse("pp-3fa9c1e07b2d-0-42")).isEmpty();
        assertThat(OwnerTag.parse("pp-3fa9c1e07b2d-7-42-1")).isEmpty();
        assertThat(OwnerTag.parseLegacy("pp-42")).isEqualTo(42);
        assertThat(OwnerTag.parseLegacy("pp-3fa9c1e07b2d-7-42")).isEqualTo(-1);
        assertThatThrownBy(() -> new OwnerTag("nothex", 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tagsKeepOtherTagsAndNameOneOwner() {
        OwnerTag t = new OwnerTag(ME, 1, 5);
        assertThat(ContainerConverger.tags(t, List.of("team-x", "pp-5", "proxplane", "pp-0123456789ab-1-5")))
                .containsExactly("pp-3fa9c1e07b2d-1-5", "proxplane", "team-x");
        assertThat(ContainerConverger.tags(t, List.of())).containsExactly("pp-3fa9c1e07b2d-1-5", "proxplane");
    }

    private static Guest guest(int vmid, String... tags) {
        return new Guest(vmid, "pve1", "running", List.of(tags), null, null, null, null);
    }

    private static Container row(long id, Integer vmid) {
        return new Container(id, new io.proxplane.core.registry.ContainerSpec(1, "c" + id, "c" + id, "pve1",
                "docker.io/library/nginx:1", new Resources(1, 256, 0, 1), null, null, "running"),
                vmid, "02:70:78:00:00:0" + id, "10.0.0." + (10 + id), "running", null, null,
                new RowMeta("k8s:a/b", 1, null, null));
    }

    private static GuestOwnership.Verdict judge(Guest g, Map<Long, Container> rows) {
        return GuestOwnership.judge(g, ME, 1, rows, id -> id == 2 ? "west" : null);
    }

    @Test
    void onlyThisRegistrysAndSitesTaggedGuestsCanBeOrphans() {
        Map<Long, Container> rows = Map.of(5L, row(5, 100), 6L, row(6, 101));
        assertThat(judge(guest(100, "proxplane", "pp-" + ME + "-1-5"), rows).kind()).isEqualTo(GuestOwnership.Kind.OURS);
        // our tag, but the row holds another vmid, or is gone: orphans
        assertThat(judge(guest(200, "proxplane", "pp-" + ME + "-1-5"), rows).kind()).isEqualTo(GuestOwnership.Kind.ORPHAN);
        assertThat(judge(guest(201, "proxplane", "pp-" + ME + "-1-99"), rows).kind()).isEqualTo(GuestOwnership.Kind.ORPHAN);
        // a create in flight is never an orphan
        assertThat(GuestOwnership.judge(new Guest(202, "pve1", "stopped", List.of("pp-" + ME + "-1-99"), "create", null, null, null),
                ME, 1, rows, id -> null).kind()).isEqualTo(GuestOwnership.Kind.OURS);
        // everything else is foreign, with the reason
        assertThat(judge(guest(300, "proxplane", "pp-" + ME + "-2-5"), rows))
                .isEqualTo(new GuestOwnership.Verdict(GuestOwnership.Kind.FOREIGN, "belongs to site 'west' of this registry"));
        assertThat(judge(guest(301, "proxplane", "pp-" + ME + "-3-5"), rows).reason()).contains("no longer exists");
        assertThat(judge(guest(302, "proxplane", "pp-0123456789ab-1-5"), rows).reason())
                .isEqualTo("tagged by another proxplane registry (0123456789ab)");
        assertThat(judge(guest(303), rows).reason()).isEqualTo("not tagged by proxplane");
        assertThat(judge(guest(304, "proxplane"), rows).reason()).isEqualTo("tagged proxplane without an owner tag");
        // legacy: a candidate only where the row holds that id at that vmid; never an orphan
        assertThat(judge(guest(101, "proxplane", "pp-6"), rows).kind()).isEqualTo(GuestOwnership.Kind.OURS);
        assertThat(judge(guest(400, "proxplane", "pp-6"), rows).kind()).isEqualTo(GuestOwnership.Kind.FOREIGN);
        assertThat(judge(guest(401, "proxplane", "pp-77"), rows).kind()).isEqualTo(GuestOwnership.Kind.FOREIGN);
        assertThat(judge(guest(101, "pp-6"), rows).kind()).as("legacy needs the proxplane tag too").isEqualTo(GuestOwnership.Kind.FOREIGN);
    }

    private static SiteSpec site(String name, String cidr, String bridge, String url, String overrides) throws Exception {
        return new SiteSpec(name, name + ".internal", cidr, cidr.replaceAll("\\.0/\\d+$", ".1"), null, null, List.of(), List.of(),
                bridge, List.of(new ProxmoxEndpoint(url, null, "secret")), null, new ObjectMapper().readTree(overrides));
    }

    @Test
    void sitesOverlapOnlyOnTheSameClusterAndBridge() throws Exception {
        SiteSpec a = site("a", "10.0.0.0/24", "vmbr0", "https://pve:8006", "{}");
        assertThat(SiteOverlap.between(a, site("b", "10.0.0.0/16", "vmbr0", "https://PVE:8006/", "{}")))
                .hasValueSatisfying(m -> assertThat(m).contains("'a'", "10.0.0.0/24", "'b'", "10.0.0.0/16", "vmbr0", "https://pve:8006"));
        assertThat(SiteOverlap.between(a, site("b", "10.0.1.0/24", "vmbr0", "https://pve:8006", "{}"))).isEmpty();
        assertThat(SiteOverlap.between(a, site("b", "10.0.0.0/24", "vmbr1", "https://pve:8006", "{}"))).isEmpty();
        assertThat(SiteOverlap.between(a, site("b", "10.0.0.0/24", "vmbr0", "https://other:8006", "{}"))).isEmpty();
        // a node override puts one node of b on a's bridge
        assertThat(SiteOverlap.between(a, site("b", "10.0.0.0/24", "vmbr1", "https://pve:8006", "{\"pve3\":{\"bridge\":\"vmbr0\"}}")))
                .hasValueSatisfying(m -> assertThat(m).contains("vmbr0 (node pve3)"));
        // both sites move the same node to different bridges: no node shares one
        SiteSpec c = site("c", "10.0.0.0/24", "vmbr0", "https://pve:8006", "{\"pve3\":{\"bridge\":\"vmbr2\"}}");
        assertThat(SiteOverlap.between(c, site("d", "10.0.0.0/24", "vmbr1", "https://pve:8006", "{\"pve3\":{\"bridge\":\"vmbr3\"}}"))).isEmpty();
    }
}
