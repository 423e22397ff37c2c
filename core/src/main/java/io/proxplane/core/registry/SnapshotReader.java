package io.proxplane.core.registry;

import java.util.List;

/** Consistent reads for renderers. */
final class SnapshotReader {
    private SnapshotReader() {}

    static SiteSnapshot readSite(Db db, long siteId) {
        return db.snapshot(c -> {
            // First statement fixes the snapshot; everything below sees the same state as this revision.
            long revision = Db.queryOne(c, "select revision from registry_head", rs -> rs.getLong(1)).orElseThrow();
            Site site = SiteRepository.TABLE.get(c, siteId).orElseThrow(() -> new NotFoundException("site", siteId));
            List<ExternalDomain> domains = ExternalDomainRepository.TABLE.list(c, """
                    site_id = ? or id in (select external_domain_id from services
                                          where site_id = ? and external_domain_id is not null)""", siteId, siteId);
            List<SiteSnapshot.ContainerEntry> containers = Db.query(c, """
                    select id, name, hostname, host(ipv4) as ipv4, mac::text as mac, node, vmid
                    from containers where site_id = ? order by hostname, id
                    """, rs -> new SiteSnapshot.ContainerEntry(rs.getLong("id"), rs.getString("name"),
                    rs.getString("hostname"), rs.getString("ipv4"), rs.getString("mac"), rs.getString("node"),
                    Db.nullableInt(rs, "vmid")), siteId);
            List<SiteSnapshot.ServiceEntry> services = Db.query(c, """
                    select s.id, s.container_id, ct.name as container_name, host(ct.ipv4) as container_ipv4, s.name,
                           s.kind, s.http_hostname, s.external_domain_id, d.name as domain_name, s.backend_protocol,
                           s.auth_required, s.internal_port, s.protocol, s.external_port, s.srv_name
                    from services s
                    join containers ct on ct.id = s.container_id
                    left join external_domains d on d.id = s.external_domain_id
                    where s.site_id = ?
                    order by ct.name, s.name, s.id
                    """, rs -> new SiteSnapshot.ServiceEntry(rs.getLong("id"), rs.getLong("container_id"),
                    rs.getString("container_name"), rs.getString("container_ipv4"), rs.getString("name"),
                    ServiceKind.fromSql(rs.getString("kind")), rs.getString("http_hostname"),
                    Db.nullableLong(rs, "external_domain_id"), rs.getString("domain_name"),
                    rs.getString("backend_protocol"), rs.getBoolean("auth_required"), rs.getInt("internal_port"),
                    rs.getString("protocol"), Db.nullableInt(rs, "external_port"), rs.getString("srv_name")), siteId);
            List<SiteNodeRepository.SiteNode> nodes = Db.query(c,
                    "select name, host(ipv4) as ipv4 from site_nodes where site_id = ? order by name",
                    rs -> new SiteNodeRepository.SiteNode(rs.getString("name"), rs.getString("ipv4")), siteId);
            return new SiteSnapshot(revision, site, domains, containers, services, nodes);
        });
    }
}
