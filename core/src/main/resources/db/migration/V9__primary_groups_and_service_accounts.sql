-- Primary groups and service accounts for the LDAP gateway.
--
-- 1. Every user has a private group named after it (users.private_gid). Its gid shares the number
--    space of the groups' gids: a private gid is never any group's gid, and a group's gid is
--    never any user's private gid (checked by triggers below, under the revision lock the
--    allocators take, so they cannot race). The allocator gives a new user uid = private gid.
--    Before V9 uids and gids were drawn from the same range independently, and the gateway
--    served gid = uid, so a user whose uid equalled a group's gid had that shared group as its
--    primary group. Such users keep their uid and get a fresh private gid (above every number in
--    use); every other user's private gid is its uid, the gid it had been served all along.
-- 2. users.primary_group_id optionally names a group to be the user's primary group instead of
--    its private group; the group cannot be deleted while a user has it as primary group.
-- 3. service_accounts: the bind identities of SSSD/nslcd (uid=<name>,ou=services,<base>).

alter table users add column private_gid integer;

update users set private_gid = uid where uid not in (select gid from groups);

do $$
declare
    u record;
    next_gid integer;
begin
    select greatest(9999, (select max(uid) from users), (select max(gid) from groups),
                    (select max(private_gid) from users)) into next_gid;
    for u in select id from users where private_gid is null order by id loop
        next_gid := next_gid + 1;
        update users set private_gid = next_gid where id = u.id;
    end loop;
end
$$;

alter table users alter column private_gid set not null;
alter table users add constraint users_private_gid_unique unique (private_gid);
alter table users add constraint users_private_gid_range check (private_gid between 1000 and 2147483646);

alter table users add column primary_group_id bigint
    constraint users_primary_group_fk references groups (id) on delete restrict;
create index users_primary_group_idx on users (primary_group_id);

-- A group's gid against the users' private gids, and the other way round. Both take the revision
-- lock first (like the allocators), so two writers cannot both pass. Reported as a unique
-- violation of "gids_unique" naming the holder.
create function proxplane_check_group_gid() returns trigger
    language plpgsql as $$
declare
    holder text;
begin
    if tg_op = 'UPDATE' and old.gid = new.gid then
        return new;
    end if;
    perform proxplane_tx_revision();
    select username into holder from users where private_gid = new.gid;
    if found then
        raise exception 'gid % is held by the private group of user ''%''', new.gid, holder
            using errcode = 'unique_violation', constraint = 'gids_unique';
    end if;
    return new;
end
$$;

create trigger groups_gid_not_private before insert or update of gid on groups
    for each row execute function proxplane_check_group_gid();

create function proxplane_check_private_gid() returns trigger
    language plpgsql as $$
declare
    holder text;
begin
    if tg_op = 'UPDATE' and old.private_gid = new.private_gid then
        return new;
    end if;
    -- A writer that does not name it (a plain insert, a tool) gets private gid = uid.
    if new.private_gid is null then
        new.private_gid := new.uid;
    end if;
    perform proxplane_tx_revision();
    select name into holder from groups where gid = new.private_gid;
    if found then
        raise exception 'gid % is held by group ''%''', new.private_gid, holder
            using errcode = 'unique_violation', constraint = 'gids_unique';
    end if;
    return new;
end
$$;

create trigger users_private_gid_not_group before insert or update of private_gid on users
    for each row execute function proxplane_check_private_gid();

-- A group may not take a user's name (the user's private group has it), nor a user a group's.
-- Rows from before V9 that already clash keep working: the gateway then serves the real group.
create function proxplane_check_group_name() returns trigger
    language plpgsql as $$
begin
    if tg_op = 'UPDATE' and old.name = new.name then
        return new;
    end if;
    perform proxplane_tx_revision();
    if exists (select 1 from users where username = new.name) then
        raise exception 'group name ''%'' is the name of a user''s private group', new.name
            using errcode = 'unique_violation', constraint = 'group_user_names_unique';
    end if;
    return new;
end
$$;

create trigger groups_name_not_user before insert or update of name on groups
    for each row execute function proxplane_check_group_name();

create function proxplane_check_username() returns trigger
    language plpgsql as $$
begin
    if tg_op = 'UPDATE' and old.username = new.username then
        return new;
    end if;
    perform proxplane_tx_revision();
    if exists (select 1 from groups where name = new.username) then
        raise exception 'username ''%'' is the name of a group', new.username
            using errcode = 'unique_violation', constraint = 'group_user_names_unique';
    end if;
    return new;
end
$$;

create trigger users_name_not_group before insert or update of username on users
    for each row execute function proxplane_check_username();

-- Bind identities for SSSD and nslcd (one per container or client). No POSIX data: they exist to
-- bind and search, and are never listed as users.
create table service_accounts (
    id            bigint generated by default as identity primary key,
    managed_by    text        not null constraint service_accounts_managed_by_format check (managed_by ~ '^[a-z][a-z0-9-]*:\S.*$'),
    claimed_by    text,
    name          text        not null constraint service_accounts_name_unique unique
                              constraint service_accounts_name_format check (name ~ '^[a-z_][a-z0-9_-]{0,31}$'),
    description   text        constraint service_accounts_description_length check (length(description) <= 256),
    -- Hash only (argon2id); the clear text never reaches the registry.
    password_hash text        not null constraint service_accounts_password_hash_format check (password_hash ~ '^(\$|\{)'),
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    revision      bigint      not null default 0
);

create trigger service_accounts_touch before insert or update on service_accounts
    for each row execute function proxplane_touch();
create trigger service_accounts_notify after insert or update or delete on service_accounts
    for each row execute function proxplane_notify_change();
