package io.proxplane.core.registry;

import io.proxplane.core.registry.Table.Col;

import java.util.List;
import java.util.Optional;

/**
 * Services of containers. A tcp/udp service gets its external port in the same transaction that
 * writes it: the requested port when free (else a {@link io.proxplane.core.registry.alloc.PortHeldException}
 * naming the holder), otherwise the lowest free port for its protocol on the site.
 */
public final class ServiceRepository {
    static final Table<Service> TABLE = new Table<>("service", "services", """
            id, container_id, site_id, name, kind, http_hostname, external_domain_id, backend_protocol,
            auth_required, internal_port, protocol, external_port, srv_name,
            """ + Rows.META, "name",
            rs -> new Service(rs.getLong("id"), rs.getLong("site_id"), new ServiceSpec(rs.getLong("container_id"),
                    rs.getString("name"), ServiceKind.fromSql(rs.getString("kind")), rs.getString("http_hostname"),
                    Db.nullableLong(rs, "external_domain_id"), rs.getString("backend_protocol"),
                    rs.getBoolean("auth_required"), rs.getInt("internal_port"), rs.getString("protocol"),
                    Db.nullableInt(rs, "external_port"), rs.getString("srv_name")), Rows.meta(rs)));

    private final Db db;

    ServiceRepository(Db db) {
        this.db = db;
    }

    public Service upsert(String manager, ServiceSpec s) {
        return upsert(Claim.asManager(manager), s);
    }

    /** Creates or updates the row as {@code claim} may (see {@link Claim}); a refusal writes nothing. */
    public Service upsert(Claim claim, ServiceSpec s) {
        return db.write(c -> {
            Container container = ContainerRepository.TABLE.get(c, s.containerId())
                    .orElseThrow(() -> new NotFoundException("container", s.containerId()));
            Optional<Service> existing = TABLE.findForUpdate(c, "container_id = ? and name = ?", s.containerId(), s.name());
            if (existing.isPresent()) {
                Table.requireClaim(claim, "service", s.name(), existing.get().meta());
            }
            Integer port = null;
            if (s.kind().hasExternalPort()) {
                Integer current = existing.filter(e -> e.spec().protocol().equals(s.protocol()))
                        .map(Service::externalPort).orElse(null);
                port = Allocators.choosePort(c, container.siteId(), s.protocol(), s.externalPort(), current,
                        existing.map(Service::id).orElse(null));
            }
            return TABLE.upsert(c, claim,
                    List.of(Col.of("container_id", s.containerId()), Col.of("name", s.name())),
                    List.of(Col.of("kind", s.kind()),
                            Col.of("http_hostname", s.httpHostname()),
                            Col.of("external_domain_id", s.externalDomainId()),
                            Col.of("backend_protocol", s.backendProtocol()),
                            Col.of("auth_required", s.authRequired()),
                            Col.of("internal_port", s.internalPort()),
                            Col.of("protocol", s.protocol()),
                            Col.of("external_port", port),
                            Col.of("srv_name", s.srvName())),
                    List.of(Col.of("site_id", container.siteId()))).row();
        });
    }

    public Optional<Service> get(long id) {
        return db.read(c -> TABLE.get(c, id));
    }

    public Optional<Service> findByName(long containerId, String name) {
        return db.read(c -> TABLE.find(c, "container_id = ? and name = ?", containerId, name));
    }

    /** The service holding {@code externalPort} of {@code protocol} (tcp or udp) on the site, if any. */
    public Optional<Service> findByExternalPort(long siteId, String protocol, int externalPort) {
        return db.read(c -> TABLE.find(c, "site_id = ? and protocol = ? and external_port = ?", siteId, protocol, externalPort));
    }

    /** The HTTP service answering for {@code hostname} under the external domain, if any. */
    public Optional<Service> findByHostname(long externalDomainId, String hostname) {
        return db.read(c -> TABLE.find(c, "external_domain_id = ? and http_hostname = ?", externalDomainId, hostname));
    }

    public List<Service> listByContainer(long containerId) {
        return db.read(c -> TABLE.list(c, "container_id = ?", containerId));
    }

    public List<Service> listBySite(long siteId) {
        return db.read(c -> TABLE.list(c, "site_id = ?", siteId));
    }

    /** Deletes the service; a tcp/udp port returns to the pool. */
    public boolean delete(String manager, long id) {
        return delete(Claim.asManager(manager), id);
    }

    /** Deletes the row if {@code claim} may (its holder holds it, or it is unclaimed); false if it does not exist. */
    public boolean delete(Claim claim, long id) {
        return db.write(c -> TABLE.delete(c, claim, id));
    }
}
