package io.proxplane.core.registry;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The registry: a Hikari pool on PostgreSQL, the schema migrated at open, and the repositories,
 * allocators, snapshot reads and change feed on top.
 */
public final class Registry implements AutoCloseable {
    private final RegistryConfig config;
    private final HikariDataSource dataSource;
    private final Db db;
    private final Allocators allocators;
    private final SiteRepository sites;
    private final ExternalDomainRepository externalDomains;
    private final PoolRepository pools;
    private final ContainerRepository containers;
    private final ServiceRepository services;
    private final UserRepository users;
    private final GroupRepository groups;
    private final MembershipRepository memberships;
    private final ServiceAccountRepository serviceAccounts;
    private final EdgeAgentStatusRepository edgeAgents;
    private final EdgeCertificateRepository edgeCertificates;
    private final SiteNodeRepository siteNodes;
    private final AuditLog auditLog;
    private final IntentRepository intents;
    private final List<ChangeFeed> feeds = new ArrayList<>();
    private final String identity;

    private Registry(RegistryConfig config, HikariDataSource dataSource) {
        this.config = config;
        this.dataSource = dataSource;
        this.db = new Db(dataSource);
        this.allocators = new Allocators(db, config.ranges());
        this.sites = new SiteRepository(db);
        this.externalDomains = new ExternalDomainRepository(db);
        this.pools = new PoolRepository(db);
        this.containers = new ContainerRepository(db);
        this.services = new ServiceRepository(db);
        this.users = new UserRepository(db, allocators);
        this.groups = new GroupRepository(db, allocators);
        this.memberships = new MembershipRepository(db);
        this.serviceAccounts = new ServiceAccountRepository(db);
        this.edgeAgents = new EdgeAgentStatusRepository(db);
        this.edgeCertificates = new EdgeCertificateRepository(db);
        this.siteNodes = new SiteNodeRepository(db);
        this.auditLog = new AuditLog(db);
        this.intents = new IntentRepository(db);
        // Created once by migration V4 and never changed: read once.
        this.identity = db.read(c -> Db.queryOne(c, "select id from registry_identity", rs -> rs.getString(1)).orElseThrow());
    }

    /** Builds the pool and applies pending migrations (a no-op when the schema is current). */
    public static Registry open(RegistryConfig config) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(config.jdbcUrl());
        hc.setUsername(config.username());
        hc.setPassword(config.password());
        hc.setMaximumPoolSize(config.maxPoolSize());
        hc.setMinimumIdle(Math.min(2, config.maxPoolSize()));
        hc.setPoolName("proxplane-registry");
        hc.setAutoCommit(true);
        HikariDataSource ds = new HikariDataSource(hc);
        try {
            Flyway.configure()
                    .dataSource(ds)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw new RegistryException("registry migration failed: " + e.getMessage(), e);
        }
        try {
            return new Registry(config, ds);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
    }

    public SiteRepository sites() { return sites; }

    public ExternalDomainRepository externalDomains() { return externalDomains; }

    public PoolRepository pools() { return pools; }

    public ContainerRepository containers() { return containers; }

    public ServiceRepository services() { return services; }

    public UserRepository users() { return users; }

    public GroupRepository groups() { return groups; }

    public MembershipRepository memberships() { return memberships; }

    /** Bind identities for SSSD and nslcd (migration V9). */
    public ServiceAccountRepository serviceAccounts() { return serviceAccounts; }

    public EdgeAgentStatusRepository edgeAgents() { return edgeAgents; }
    /** Proxmox nodes of each site with their addresses (published in the site's DNS). */
    public SiteNodeRepository siteNodes() { return siteNodes; }
    /** ACME certificates as the edge agents report them. */
    public EdgeCertificateRepository edgeCertificates() { return edgeCertificates; }

    public AuditLog auditLog() { return auditLog; }

    /** Intents whose writing engine is gone (migration V8). */
    public IntentRepository intents() { return intents; }

    public Allocators allocators() { return allocators; }

    /**
     * This registry's identity: 12 lowercase hex characters created once by migration V4. The engine
     * puts it in the tag of every guest it creates, so guests of another registry on a shared
     * Proxmox cluster are recognised as foreign and never touched.
     */
    public String identity() {
        return identity;
    }

    /** The revision of the last committed change. */
    public long currentRevision() {
        return db.read(c -> Db.queryOne(c, "select revision from registry_head", rs -> rs.getLong(1)).orElseThrow());
    }

    /** One site's domains, containers and services from a single consistent snapshot. */
    public SiteSnapshot siteSnapshot(long siteId) {
        return SnapshotReader.readSite(db, siteId);
    }

    /** Starts a change feed with its own connection; closed with the registry or by the caller. */
    public synchronized ChangeFeed changeFeed(ChangeListener... listeners) {
        ChangeFeed feed = new ChangeFeed(config, config.changeFeedPollTimeout(), Duration.ofSeconds(5));
        for (ChangeListener l : listeners) {
            feed.addListener(l);
        }
        feeds.add(feed);
        return feed.start();
    }

    /** Package access for tests of the retry path. */
    Db db() {
        return db;
    }

    @Override
    public synchronized void close() {
        feeds.forEach(ChangeFeed::close);
        feeds.clear();
        dataSource.close();
    }
}
