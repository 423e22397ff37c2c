-- The engine keeps the full desired spec of each container (env, entrypoint, features, ...) beside
-- the registry row, so a bulk resync can correct drift (re-create a missing container) without the
-- front door. Deleted with the container. Holds no secrets.
create table engine_container_specs (
    container_id bigint      primary key references containers (id) on delete cascade,
    spec         jsonb       not null constraint engine_container_specs_object check (jsonb_typeof(spec) = 'object'),
    updated_at   timestamptz not null default now()
);
