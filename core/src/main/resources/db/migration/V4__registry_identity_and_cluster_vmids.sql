-- Registry identity: one random id, created once, that names this registry on every guest it
-- makes (tag pp-<id>-<site id>-<container id>). Two registries (staging and production, two
-- databases) sharing a Proxmox cluster tell their guests apart by it, so neither ever stops or
-- destroys the other's. 12 lowercase hex characters: 48 random bits, short enough for a tag.
create table registry_identity (
    singleton  boolean     primary key default true constraint registry_identity_singleton check (singleton),
    id         text        not null constraint registry_identity_id_format check (id ~ '^[0-9a-f]{12}$'),
    created_at timestamptz not null default now()
);
insert into registry_identity (id) values (substr(md5(gen_random_uuid()::text), 1, 12));

-- vmids are numbered per Proxmox cluster, not per site: two sites on one cluster must never hold
-- the same vmid. A cluster is known here only by the endpoint URLs stored on its sites, so two sites
-- share a cluster when they share an endpoint URL after normalisation (lower case, no trailing
-- slash or /api2/json, no explicit :443 for https). Two different URLs of one cluster (two nodes'
-- addresses) are not recognised: the engine then still never takes a vmid the cluster shows in use,
-- and a create answered "already exists" makes it reserve another one.
-- ProxmoxEndpoint.clusterKey() is the same rule in Java; ClusterVmidTest checks they agree.
create function proxplane_endpoint_key(url text) returns text
    language sql immutable strict as $$
    select regexp_replace(regexp_replace(lower(btrim(url)), '/+(api2/json/*)?$', ''), '^(https://[^/]+):443($|/)', '\1\2')
$$;

create function proxplane_cluster_keys(endpoints jsonb) returns text[]
    language sql immutable as $$
    select coalesce(array_agg(proxplane_endpoint_key(e ->> 'url')) filter (where e ->> 'url' is not null), '{}')
    from jsonb_array_elements(coalesce(endpoints, '[]')) e
$$;

-- Refuses a container vmid that another container holds on a site sharing a cluster. It takes the
-- revision lock (V2) before looking, like the allocators, so two writers cannot both pass the check
-- and the allocator (which excludes the same vmids under the same lock) never meets it: a violation
-- is a real conflict, reported at once as containers_cluster_vmid_unique (not retried).
create function proxplane_check_cluster_vmid() returns trigger
    language plpgsql as $$
declare
    holder record;
begin
    if new.vmid is null
        or (tg_op = 'UPDATE' and old.vmid is not distinct from new.vmid and old.site_id = new.site_id) then
        return new;
    end if;
    perform proxplane_tx_revision();
    select c.name as container, s.name as site into holder
    from containers c join sites s on s.id = c.site_id
    where c.vmid = new.vmid and c.id <> new.id and c.site_id <> new.site_id
      and proxplane_cluster_keys(s.proxmox_endpoints)
          && (select proxplane_cluster_keys(proxmox_endpoints) from sites where id = new.site_id)
    limit 1;
    if found then
        raise exception 'vmid % is held by container ''%'' of site ''%'' on the same Proxmox cluster',
            new.vmid, holder.container, holder.site
            using errcode = 'unique_violation', constraint = 'containers_cluster_vmid_unique';
    end if;
    return new;
end
$$;

create trigger containers_cluster_vmid before insert or update of vmid, site_id on containers
    for each row execute function proxplane_check_cluster_vmid();

-- The same rule when a site's endpoints change: it may not come to share a cluster with a site
-- whose containers hold the same vmids as its own.
create function proxplane_check_site_cluster_vmids() returns trigger
    language plpgsql as $$
declare
    clash record;
begin
    if new.proxmox_endpoints is not distinct from old.proxmox_endpoints then
        return new;
    end if;
    perform proxplane_tx_revision();
    select mine.vmid, theirs.name as container, s.name as site into clash
    from containers mine
    join containers theirs on theirs.vmid = mine.vmid and theirs.site_id <> mine.site_id
    join sites s on s.id = theirs.site_id
    where mine.site_id = new.id
      and proxplane_cluster_keys(s.proxmox_endpoints) && proxplane_cluster_keys(new.proxmox_endpoints)
    limit 1;
    if found then
        raise exception 'site ''%'' would share a Proxmox cluster with site ''%'' while both hold vmid % (container ''%'')',
            new.name, clash.site, clash.vmid, clash.container
            using errcode = 'unique_violation', constraint = 'sites_cluster_vmids_unique';
    end if;
    return new;
end
$$;

create trigger sites_cluster_vmids before update of proxmox_endpoints on sites
    for each row execute function proxplane_check_site_cluster_vmids();
