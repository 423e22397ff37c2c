-- Revisions and the change feed.
--
-- A write transaction takes one revision on its first write: it takes a transaction-scoped
-- advisory lock, draws the next value from proxplane_revision and records it in registry_head.
-- The lock is held until commit, so revisions are handed out in commit order: once a reader sees
-- revision R in registry_head, every change with a revision <= R is visible to it, and a consumer
-- that has applied R never needs to look at a notification carrying a revision <= R again.
-- Writers serialise from their first write to their commit only; reads are never blocked.

create function proxplane_tx_revision() returns bigint
    language plpgsql as $$
declare
    r bigint := nullif(current_setting('proxplane.tx_revision', true), '')::bigint;
begin
    if r is null then
        -- 0x70787270 = 'pxrp'; advisory locks are per database.
        perform pg_advisory_xact_lock(1886925424);
        r := nextval('proxplane_revision');
        update registry_head set revision = r;
        perform set_config('proxplane.tx_revision', r::text, true);
    end if;
    return r;
end
$$;

create function proxplane_touch() returns trigger
    language plpgsql as $$
begin
    new.revision := proxplane_tx_revision();
    if tg_op = 'INSERT' then
        new.created_at := now();
    else
        new.created_at := old.created_at;
    end if;
    new.updated_at := now();
    return new;
end
$$;

-- Payload: {"table":"containers","op":"update","id":42,"revision":1234} (well below 8000 bytes).
create function proxplane_notify_change() returns trigger
    language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        perform pg_notify('proxplane_changes', json_build_object(
            'table', tg_table_name, 'op', 'delete', 'id', old.id, 'revision', proxplane_tx_revision())::text);
        return old;
    end if;
    perform pg_notify('proxplane_changes', json_build_object(
        'table', tg_table_name, 'op', lower(tg_op), 'id', new.id, 'revision', new.revision)::text);
    return new;
end
$$;

do $$
declare
    t text;
begin
    foreach t in array array['sites', 'external_domains', 'pools', 'containers', 'services',
                             'groups', 'users', 'memberships']
    loop
        execute format('create trigger %I before insert or update on %I for each row execute function proxplane_touch()',
                       t || '_touch', t);
        execute format('create trigger %I after insert or update or delete on %I for each row execute function proxplane_notify_change()',
                       t || '_notify', t);
    end loop;
end
$$;

-- Status rows keep updated_at current without taking a revision.
create function proxplane_touch_status() returns trigger
    language plpgsql as $$
begin
    if tg_op = 'UPDATE' then
        new.created_at := old.created_at;
    end if;
    new.updated_at := now();
    return new;
end
$$;
create trigger edge_agent_status_touch before insert or update on edge_agent_status
    for each row execute function proxplane_touch_status();
