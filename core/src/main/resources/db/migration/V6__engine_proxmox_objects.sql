-- What the engine made in Proxmox, recorded by the engine itself so that a delete never depends on
-- another object's row still existing (Terraform destroys in parallel: a site row may be gone
-- before the pool that was mirrored into its clusters). Holds no secrets: credentials are
-- resolved from credentials_ref at use, as for sites.

-- Every Proxmox endpoint the engine created something on.
create table engine_proxmox_endpoints (
    url             text        primary key,
    token_id        text,
    credentials_ref text,
    updated_at      timestamptz not null default now()
);

-- The Proxmox pools a registry pool was mirrored into. created = proxplane made the Proxmox pool
-- (a delete removes it); false = it was already there (a delete revokes the grants and leaves it).
create table engine_pool_mirrors (
    pool_name    text    not null,
    endpoint_url text    not null references engine_proxmox_endpoints (url),
    created      boolean not null,
    primary key (pool_name, endpoint_url)
);

-- A pool whose first converge has not finished: the next apply resumes it (and rolls it back
-- again if it fails) instead of taking the registry row for a finished pool. Keyed by name and
-- written before the registry row, so a crash between the two leaves nothing unexplained.
create table engine_pool_intents (
    pool_name  text        primary key,
    intent     text        not null constraint engine_pool_intents_intent check (intent in ('create')),
    created_at timestamptz not null default now()
);

-- Proxmox users (name = userid with realm) and groups per endpoint that the engine ensured.
-- created = proxplane made it (removed once nothing uses it); false = it existed before and is
-- never removed.
create table engine_proxmox_principals (
    endpoint_url text    not null references engine_proxmox_endpoints (url),
    kind         text    not null constraint engine_proxmox_principals_kind check (kind in ('user', 'group')),
    name         text    not null,
    created      boolean not null,
    primary key (endpoint_url, kind, name)
);
