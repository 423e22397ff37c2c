package io.proxplane.core.registry;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Proxmox nodes of a site with their addresses, as the engine last read them. Written only
 * when something changed, so a periodic refresh costs no revision (and no edge apply).
 */
public final class SiteNodeRepository {

    /** A node and its IPv4 address (dotted). */
    public record SiteNode(String name, String ipv4) {}

    private final Db db;

    SiteNodeRepository(Db db) {
        this.db = db;
    }

    /** Makes the site's node list exactly {@code nodes} (name -> IPv4); returns whether anything changed. */
    public boolean replace(long siteId, Map<String, String> nodes) {
        return db.write(c -> {
            Map<String, String> current = new TreeMap<>();
            for (SiteNode n : Db.query(c, "select name, host(ipv4) as ipv4 from site_nodes where site_id = ? for update",
                    rs -> new SiteNode(rs.getString("name"), rs.getString("ipv4")), siteId)) {
                current.put(n.name(), n.ipv4());
            }
            if (current.equals(new TreeMap<>(nodes))) {
                return false;
            }
            for (String name : current.keySet()) {
                if (!nodes.containsKey(name)) {
                    Db.update(c, "delete from site_nodes where site_id = ? and name = ?", siteId, name);
                }
            }
            for (Map.Entry<String, String> e : nodes.entrySet()) {
                if (!e.getValue().equals(current.get(e.getKey()))) {
                    Db.update(c, """
                            insert into site_nodes (site_id, name, ipv4) values (?, ?, ?::inet)
                            on conflict (site_id, name) do update set ipv4 = excluded.ipv4
                            """, siteId, e.getKey(), e.getValue());
                }
            }
            return true;
        });
    }

    public List<SiteNode> list(long siteId) {
        return db.read(c -> Db.query(c, "select name, host(ipv4) as ipv4 from site_nodes where site_id = ? order by name",
                rs -> new SiteNode(rs.getString("name"), rs.getString("ipv4")), siteId));
    }
}
