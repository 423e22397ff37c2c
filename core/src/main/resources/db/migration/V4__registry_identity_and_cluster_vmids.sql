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
