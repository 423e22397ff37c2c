package io.proxplane.core.registry;

import io.proxplane.core.registry.Table.Col;

import java.util.List;
import java.util.Optional;

/** Sites: network, DNS and Proxmox endpoints of one location. */
public final class SiteRepository {
    static final Table<Site> TABLE = new Table<>("site", "sites", """
            id, name, dns_domain, network_cidr::text as network_cidr, host(gateway) as gateway,
            host(dhcp_start) as dhcp_start, host(dhcp_end) as dhcp_end, reserved_ranges::text as reserved_ranges,
            dns_forwarders, bridge, proxmox_endpoints::text as proxmox_endpoints, placement_policy,
            node_overrides::text as node_overrides, edge_address,
            """ + Rows.META, "name",
            rs -> new Site(rs.getLong("id"), new SiteSpec(
                    rs.getString("name"), rs.getString("dns_domain"), rs.getString("network_cidr"),
                    rs.getString("gateway"), rs.getString("dhcp_start"), rs.getString("dhcp_end"),
                    Db.listFromJson(rs.getString("reserved_ranges"), Ipv4Range.class),
                    Db.textArray(rs, "dns_forwarders"), rs.getString("bridge"),
                    Db.listFromJson(rs.getString("proxmox_endpoints"), ProxmoxEndpoint.class),
                    rs.getString("placement_policy"), Db.jsonNode(rs.getString("node_overrides")), rs.getString("edge_address")),
                    Rows.meta(rs)));

    private final Db db;

    SiteRepository(Db db) {
        this.db = db;
    }

    public Site upsert(String manager, SiteSpec s) {
        return upsert(Claim.asManager(manager), s);
    }

    /** Creates or updates the row as {@code claim} may (see {@link Claim}); a refusal writes nothing. */
    public Site upsert(Claim claim, SiteSpec s) {
        return db.write(c -> TABLE.upsert(c, claim, List.of(Col.of("name", s.name())), List.of(
                Col.of("dns_domain", s.dnsDomain()),
                Col.cast("network_cidr", "cidr", s.networkCidr()),
                Col.cast("gateway", "inet", s.gateway()),
                Col.cast("dhcp_start", "inet", s.dhcpStart()),
                Col.cast("dhcp_end", "inet", s.dhcpEnd()),
                Col.cast("reserved_ranges", "jsonb", Db.toJson(s.reservedRanges())),
                Col.of("dns_forwarders", s.dnsForwarders()),
                Col.of("bridge", s.bridge()),
                Col.cast("proxmox_endpoints", "jsonb", Db.toJson(s.proxmoxEndpoints())),
                Col.of("placement_policy", s.placementPolicy()),
                Col.cast("node_overrides", "jsonb", Db.toJson(s.nodeOverrides())),
                Col.of("edge_address", s.edgeAddress())), List.of()).row());
    }

    public Optional<Site> get(long id) {
        return db.read(c -> TABLE.get(c, id));
    }

    public Optional<Site> findByName(String name) {
        return db.read(c -> TABLE.find(c, "name = ?", name));
    }

    public List<Site> list() {
        return db.read(c -> TABLE.list(c, null));
    }

    /** Deletes the site; refused while containers still use it (foreign key). */
    public boolean delete(String manager, long id) {
        return delete(Claim.asManager(manager), id);
    }

    /** Deletes the row if {@code claim} may (its holder holds it, or it is unclaimed); false if it does not exist. */
    public boolean delete(Claim claim, long id) {
        return db.write(c -> TABLE.delete(c, claim, id));
    }
}
