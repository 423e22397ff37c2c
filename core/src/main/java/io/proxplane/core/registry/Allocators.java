package io.proxplane.core.registry;

import io.proxplane.core.registry.alloc.AllocationException;
import io.proxplane.core.registry.alloc.Ipv4;
import io.proxplane.core.registry.alloc.Ipv4Network;
import io.proxplane.core.registry.alloc.Ipv4Picker;
import io.proxplane.core.registry.alloc.MacAddresses;
import io.proxplane.core.registry.alloc.PortHeldException;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Allocation of IPv4 addresses, MACs, vmids, external ports, uids and gids as registry
 * transactions.
 *
 * <p>Uniqueness rests on the database: every allocated value sits in a column with a UNIQUE
 * constraint, so no interleaving of processes can ever store a value twice. On top of that, an
 * allocating transaction takes the registry's revision lock (see V2 migration) before it looks
 * for a free value; writers are serialised from that point to commit anyway, so doing it first
 * costs nothing and means concurrent allocators queue instead of colliding and retrying.
 * Anything that slips past (a writer that did not lock first) ends in a unique violation, which
 * {@link Db#write} retries a bounded number of times.
 */
public final class Allocators {
    private static final int MAC_ATTEMPTS = 32;

    private final Db db;
    private final AllocationRanges ranges;
    private final RandomGenerator random = new SecureRandom();

    Allocators(Db db, AllocationRanges ranges) {
        this.db = db;
        this.ranges = ranges;
    }

    public AllocationRanges ranges() {
        return ranges;
    }

    /**
     * Reserves whatever the container still lacks of vmid, MAC and IPv4, all in one transaction,
     * and returns the full set. Idempotent: a container that already holds all three gets them back
     * unchanged, so the engine can call this again after a crash.
     *
     * @param vmidsUsedByProxmox vmids the site's Proxmox cluster already uses (from
     *                           /cluster/resources); never handed out
     */
    public ContainerAddresses reserveContainerAddresses(String manager, long siteId, long containerId,
                                                        Set<Integer> vmidsUsedByProxmox) {
        Set<Integer> proxmoxVmids = Set.copyOf(vmidsUsedByProxmox);
        return db.write(c -> {
            Container before = ContainerRepository.TABLE.get(c, containerId)
                    .orElseThrow(() -> new NotFoundException("container", containerId));
            if (before.siteId() != siteId) {
                throw new IllegalArgumentException("container '" + before.name() + "' belongs to site id "
                        + before.siteId() + ", not " + siteId);
            }
            Site site = SiteRepository.TABLE.get(c, siteId).orElseThrow(() -> new NotFoundException("site", siteId));
            Ipv4Network net = Ipv4Network.parse("network_cidr", site.spec().networkCidr());
            if (before.vmid() != null && before.mac() != null && before.ipv4() != null
                    && before.meta().managedBy().equals(manager)) {
                // Already reserved: the container's own vmid is expected in Proxmox's list by now.
                return addresses(before, net, site);
            }
            // Row lock before the revision lock: UPDATEs take them in that order too, so no deadlock.
            ContainerRepository.TABLE.requireManagedBy(c, manager, containerId);
            lockRevision(c);
            Container current = ContainerRepository.TABLE.get(c, containerId).orElseThrow();

            Integer vmid = current.vmid() != null ? current.vmid() : freeVmid(c, site, proxmoxVmids);
            String mac = current.mac() != null ? current.mac() : freeMac(c);
            String ipv4 = current.ipv4() != null ? current.ipv4() : freeIpv4(c, site, net);

            Map<String, Object> allocated = new LinkedHashMap<>();
            if (current.vmid() == null) allocated.put("vmid", vmid);
            if (current.mac() == null) allocated.put("mac", mac);
            if (current.ipv4() == null) allocated.put("ipv4", ipv4);
            if (!allocated.isEmpty()) {
                Db.update(c, "update containers set vmid = ?, mac = ?::macaddr, ipv4 = ?::inet where id = ?",
                        vmid, mac, ipv4, containerId);
                Audit.write(c, manager, "allocate", "container", String.valueOf(containerId), allocated);
            }
            return addresses(ContainerRepository.TABLE.get(c, containerId).orElseThrow(), net, site);
        });
    }

    /** Returns the container's vmid, MAC and IPv4 to their pools. */
    public void releaseContainerAddresses(String manager, long containerId) {
        db.write(c -> {
            ContainerRepository.TABLE.requireManagedBy(c, manager, containerId);
            Container current = ContainerRepository.TABLE.get(c, containerId).orElseThrow();
            if (current.vmid() == null && current.mac() == null && current.ipv4() == null) {
                return null;
            }
            Db.update(c, "update containers set vmid = null, mac = null, ipv4 = null where id = ?", containerId);
            Map<String, Object> released = new LinkedHashMap<>();
            released.put("vmid", current.vmid());
            released.put("mac", current.mac());
            released.put("ipv4", current.ipv4());
            Audit.write(c, manager, "release", "container", String.valueOf(containerId), released);
            return null;
        });
    }

    private static ContainerAddresses addresses(Container c, Ipv4Network net, Site site) {
        return new ContainerAddresses(c.id(), c.vmid(), c.mac(), c.ipv4(), net.prefixLength(), site.spec().gateway());
    }

    /** Takes this transaction's registry revision, and with it the writers' lock, before reading what is free. */
    static void lockRevision(Connection c) throws SQLException {
        Db.query(c, "select proxplane_tx_revision()", rs -> rs.getLong(1));
    }

    private int freeVmid(Connection c, Site site, Set<Integer> proxmoxVmids) throws SQLException {
        // Proxmox numbers guests per cluster: the vmids of every site sharing an endpoint with this one
        // (the same cluster, see migration V4) are taken too, not only this site's.
        Optional<Integer> vmid = lowestFree(c, "select ct.vmid as v from containers ct join sites s on s.id = ct.site_id"
                        + " where ct.vmid is not null and proxplane_cluster_keys(s.proxmox_endpoints)"
                        + " && (select proxplane_cluster_keys(proxmox_endpoints) from sites where id = ?)"
                        + " union all select vmid from containers where site_id = ? and vmid is not null"
                        + " union all select unnest(?::int[])", ranges.vmidMin(), ranges.vmidMax(),
                site.id(), site.id(), c.createArrayOf("integer", proxmoxVmids.toArray()));
        return vmid.orElseThrow(() -> new AllocationException("site '" + site.name() + "' has no free vmid in "
                + ranges.vmidMin() + "-" + ranges.vmidMax()));
    }

    private String freeMac(Connection c) throws SQLException {
        for (int i = 0; i < MAC_ATTEMPTS; i++) {
            String mac = MacAddresses.random(ranges.macPrefix(), random);
            boolean taken = Db.queryOne(c, "select 1 from containers where mac = ?::macaddr", rs -> 1, mac).isPresent();
            if (!taken) {
                return mac;
            }
        }
        throw new AllocationException("no free MAC address with prefix " + ranges.macPrefix() + " after "
                + MAC_ATTEMPTS + " attempts");
    }

    private static String freeIpv4(Connection c, Site site, Ipv4Network net) throws SQLException {
        long gateway = Ipv4.parse("gateway", site.spec().gateway());
        List<Ipv4Picker.Range> excluded = new ArrayList<>();
        if (site.spec().dhcpStart() != null) {
            excluded.add(new Ipv4Picker.Range(Ipv4.parse("dhcp_start", site.spec().dhcpStart()),
                    Ipv4.parse("dhcp_end", site.spec().dhcpEnd())));
        }
        for (Ipv4Range r : site.spec().reservedRanges()) {
            excluded.add(new Ipv4Picker.Range(Ipv4.parse("reserved_ranges.start", r.start()),
                    Ipv4.parse("reserved_ranges.end", r.end())));
        }
        Set<Long> used = new HashSet<>(Db.query(c,
                "select host(ipv4) from containers where site_id = ? and ipv4 is not null",
                rs -> Ipv4.parse("ipv4", rs.getString(1)), site.id()));
        return Ipv4Picker.lowestFree(net, gateway, excluded, used).stream()
                .mapToObj(Ipv4::format).findFirst()
                .orElseThrow(() -> new AllocationException("site '" + site.name() + "' has no free IPv4 address in " + net));
    }

    // ---- ports, uids, gids: used inside the service, user and group transactions --------------

    /**
     * The external port for a tcp/udp service: the requested one if nobody else holds it, else the
     * service's current port, else the lowest free port in 2000-65535 for that protocol on the site.
     */
    static int choosePort(Connection c, long siteId, String protocol, Integer requested, Integer current, Long selfId)
            throws SQLException {
        if (requested != null) {
            if (requested < 2000 || requested > 65535) {
                throw new IllegalArgumentException("external_port: " + requested + " is outside 2000-65535");
            }
            requirePortFree(c, siteId, protocol, requested, selfId);
            return requested;
        }
        if (current != null) {
            return current;
        }
        lockRevision(c);
        Optional<Integer> port = lowestFree(c,
                "select external_port as v from services where site_id = ? and protocol = ? and external_port is not null",
                2000, 65535, siteId, protocol);
        if (port.isEmpty()) {
            throw new AllocationException("site '" + siteName(c, siteId) + "' has no free " + protocol
                    + " port in 2000-65535");
        }
        return port.get();
    }

    static void requirePortFree(Connection c, long siteId, String protocol, int port, Long selfId) throws SQLException {
        Optional<PortHeldException> held = Db.queryOne(c, """
                select s.name as service, ct.name as container, st.name as site
                from services s join containers ct on ct.id = s.container_id join sites st on st.id = s.site_id
                where s.site_id = ? and s.protocol = ? and s.external_port = ? and s.id is distinct from ?
                """, rs -> new PortHeldException(protocol, port, rs.getString("service"), rs.getString("container"),
                rs.getString("site")), siteId, protocol, port, selfId);
        if (held.isPresent()) {
            throw held.get();
        }
    }

    /**
     * Every number used as a gid: the groups' gids and the users' private gids, plus the uids (a new
     * user's private gid is its uid, so a number taken as a uid is not handed to a group either).
     */
    private static final String ID_NUMBERS_IN_USE =
            "select gid as v from groups union all select private_gid from users union all select uid from users";

    /** A requested uid if no other user holds it; else the lowest number free as a uid AND as a gid. */
    int chooseUid(Connection c, Integer requested, Long selfId) throws SQLException {
        if (requested != null) {
            requireFree(c, "select username from users where uid = ? and id is distinct from ?", "uid", requested,
                    "user", selfId);
            return requested;
        }
        lockRevision(c);
        return lowestFree(c, ID_NUMBERS_IN_USE, ranges.uidMin(), ranges.uidMax())
                .orElseThrow(() -> new AllocationException("no free uid in " + ranges.uidMin() + "-" + ranges.uidMax()));
    }

    /** A group's gid: the requested one if neither a group nor a user's private group holds it, else the lowest free one. */
    int chooseGid(Connection c, Integer requested, Long selfId) throws SQLException {
        if (requested != null) {
            requireFree(c, "select name from groups where gid = ? and id is distinct from ?", "gid", requested, "group", selfId);
            requirePrivateGidFree(c, requested, null);
            return requested;
        }
        lockRevision(c);
        return lowestFree(c, ID_NUMBERS_IN_USE, ranges.gidMin(), ranges.gidMax())
                .orElseThrow(() -> new AllocationException("no free gid in " + ranges.gidMin() + "-" + ranges.gidMax()));
    }

    /**
     * The gid of a user's private group. {@code explicit}: exactly {@code candidate}, refused if a
     * group or another user's private group holds it. Otherwise {@code candidate} (the uid) when that
     * number is free as a gid, else the lowest gid free in the gid range.
     */
    int choosePrivateGid(Connection c, int candidate, boolean explicit, Long selfId) throws SQLException {
        if (explicit) {
            requireFree(c, "select name from groups where gid = ? and id is distinct from ?", "gid", candidate, "group", null);
            requirePrivateGidFree(c, candidate, selfId);
            return candidate;
        }
        lockRevision(c);
        boolean taken = Db.queryOne(c, "select 1 from groups where gid = ? union all"
                + " select 1 from users where private_gid = ? and id is distinct from ?", rs -> 1, candidate, candidate, selfId)
                .isPresent();
        if (!taken) {
            return candidate;
        }
        return lowestFree(c, ID_NUMBERS_IN_USE, ranges.gidMin(), ranges.gidMax())
                .orElseThrow(() -> new AllocationException("no free gid in " + ranges.gidMin() + "-" + ranges.gidMax()
                        + " for a user's private group"));
    }

    private static void requireFree(Connection c, String holderSql, String column, int value, String kind, Long selfId)
            throws SQLException {
        Optional<String> holder = Db.queryOne(c, holderSql, rs -> rs.getString(1), value, selfId);
        if (holder.isPresent()) {
            throw new AllocationException(column + " " + value + " is held by " + kind + " '" + holder.get() + "'");
        }
    }

    private static void requirePrivateGidFree(Connection c, int gid, Long selfUserId) throws SQLException {
        Optional<String> holder = Db.queryOne(c, "select username from users where private_gid = ? and id is distinct from ?",
                rs -> rs.getString(1), gid, selfUserId);
        if (holder.isPresent()) {
            throw new AllocationException("gid " + gid + " is held by the private group of user '" + holder.get() + "'");
        }
    }

    /**
     * The lowest value in [min, max] that {@code usedSql} (a query of one int column "v") does not
     * return. The answer is either min or one above a used value, so only those candidates are
     * checked: the cost grows with the values in use, not with the size of the range.
     */
    static Optional<Integer> lowestFree(Connection c, String usedSql, int min, int max, Object... usedParams)
            throws SQLException {
        Object[] params = new Object[usedParams.length + 5];
        System.arraycopy(usedParams, 0, params, 0, usedParams.length);
        params[usedParams.length] = min;
        params[usedParams.length + 1] = min;
        params[usedParams.length + 2] = max;
        params[usedParams.length + 3] = min;
        params[usedParams.length + 4] = max;
        List<Integer> found = Db.query(c, "with used as materialized (" + usedSql + "),"
                + " candidates as (select ?::int as v union all select v + 1 from used where v >= ?::int - 1 and v < ?::int)"
                + " select k.v from candidates k where k.v between ? and ?"
                + " and not exists (select 1 from used u where u.v = k.v) order by k.v limit 1",
                rs -> rs.getInt(1), params);
        return found.stream().findFirst();
    }

    private static String siteName(Connection c, long siteId) throws SQLException {
        return Db.queryOne(c, "select name from sites where id = ?", rs -> rs.getString(1), siteId).orElse("#" + siteId);
    }
}
