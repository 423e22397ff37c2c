package io.proxplane.core.engine;

import io.proxplane.core.proxmox.ProxmoxClient;
import io.proxplane.core.proxmox.model.AclEntry;
import io.proxplane.core.proxmox.model.ClusterResource;
import io.proxplane.core.proxmox.model.Group;
import io.proxplane.core.proxmox.model.Pool;
import io.proxplane.core.proxmox.model.User;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks on what a Proxmox cluster (usually the simulator) still holds after a test deleted
 * everything it declared.
 *
 * <p>{@link #holdsNothingMadeByProxplane(ProxmoxClient)} fails, listing every leftover, when the
 * cluster still holds any of:
 * <ul>
 *   <li>a guest tagged {@code proxplane} (every container the engine creates carries that tag);</li>
 *   <li>a pool, user or group whose comment is an engine marker ({@value EngineContext#LEGACY_MARKER}, or
 *       {@code managed by proxplane registry <id>} for any registry): the engine writes it on every Proxmox pool, user and group it creates, and never on one it
 *       found already there, so objects made by hand or by another tool are ignored;</li>
 *   <li>an ACL entry granted to such a user or group, or one on {@code /pool/<id>} or
 *       {@code /vms/<vmid>} whose pool or guest no longer exists (a dangling grant).</li>
 * </ul>
 * Use it at the end of a test, after the deletes, with an admin client of the cluster:
 * <pre>{@code
 * SimulatorAssertions.holdsNothingMadeByProxplane(f.admin);
 * }</pre>
 * It reads {@code /cluster/resources}, {@code /pools}, {@code /access/users},
 * {@code /access/groups} and {@code /access/acl} once each, so it is cheap enough for every test.
 * {@link #leftovers(ProxmoxClient)} returns the same findings for tests that want to assert on
 * them in another way (for example "exactly this user is left").
 */
public final class SimulatorAssertions {
    private SimulatorAssertions() {
    }

    private static boolean madeByProxplane(String comment) {
        return comment != null && comment.startsWith(EngineContext.LEGACY_MARKER);
    }

    /** Fails naming every object proxplane made that the cluster still holds; see the class comment. */
    public static void holdsNothingMadeByProxplane(ProxmoxClient pve) {
        assertThat(leftovers(pve)).as("objects made by proxplane still in Proxmox").isEmpty();
    }

    /** One line per leftover, e.g. {@code "pool team (managed by proxplane registry 3fa9c1e07b2d)"}; empty when clean. */
    public static List<String> leftovers(ProxmoxClient pve) {
        List<String> out = new ArrayList<>();
        Set<Integer> guests = new HashSet<>();
        for (ClusterResource r : pve.cluster().resources()) {
            if (r.vmid() == null || !("lxc".equals(r.type()) || "qemu".equals(r.type()))) continue;
            guests.add(r.vmid());
            if (r.tags().contains(Guest.TAG)) out.add("guest " + r.vmid() + " on " + r.node() + " tagged " + r.tags());
        }
        Set<String> pools = new HashSet<>();
        for (Pool p : pve.pools().list()) {
            pools.add(p.poolid());
            if (madeByProxplane(p.comment())) out.add("pool " + p.poolid() + " (" + p.comment() + ")");
        }
        Set<String> principals = new HashSet<>();
        for (User u : pve.users().list(false)) {
            if (madeByProxplane(u.comment())) {
                principals.add("user|" + u.userid());
                out.add("user " + u.userid() + " (" + u.comment() + ")");
            }
        }
        for (Group g : pve.groups().list()) {
            if (madeByProxplane(g.comment())) {
                principals.add("group|" + g.groupid());
                out.add("group " + g.groupid() + " (" + g.comment() + ")");
            }
        }
        for (AclEntry e : pve.acl().list()) {
            String what = "ACL " + e.path() + " " + e.roleid() + " to " + e.type() + " " + e.ugid();
            if (principals.contains(e.type() + "|" + e.ugid())) {
                out.add(what + " (granted to an object proxplane made)");
            } else if (e.path().startsWith("/pool/") && !pools.contains(e.path().substring("/pool/".length()))) {
                out.add(what + " (the pool is gone)");
            } else if (e.path().matches("/vms/\\d+") && !guests.contains(Integer.parseInt(e.path().substring(5)))) {
                out.add(what + " (the guest is gone)");
            }
        }
        return out;
    }
}
